/** GitHub resolves owner and repo names case-insensitively. */
export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}
