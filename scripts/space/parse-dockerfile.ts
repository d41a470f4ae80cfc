export type DockerInstruction =
  | { op: "FROM"; image: string }
  | { op: "ENV"; name: string; value: string }
  | { op: "WORKDIR"; path: string }
  | { op: "COPY"; sources: string[]; destination: string }
  | { op: "RUN"; command: string }
  | { op: "USER"; user: string }
  | { op: "EXPOSE"; port: number }
  | { op: "CMD"; argv: string[] };

/**
 * The Dockerfile as a list of instructions, for the rehearsal to run. Only the instructions the
 * project's Dockerfile uses are understood; any other is an error naming it, so a new one cannot be
 * silently skipped.
 */
export function parseDockerfile(text: string): DockerInstruction[] {
  const logical = text
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  return logical.map((line) => {
    const [, op = "", rest = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    switch (op.toUpperCase()) {
      case "FROM":
        return { op: "FROM", image: rest };
      case "ENV": {
        const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:=|\s+)(.*)$/.exec(rest);
        if (!match) throw new Error(`Dockerfile: cannot read ENV ${JSON.stringify(rest)}`);
        return { op: "ENV", name: match[1] as string, value: unquote(match[2] as string) };
      }
      case "WORKDIR":
        return { op: "WORKDIR", path: rest };
      case "COPY": {
        const parts = rest.split(/\s+/);
        if (parts.some((part) => part.startsWith("--"))) {
          throw new Error(`Dockerfile: the rehearsal does not know COPY options (${line})`);
        }
        const destination = parts.pop() ?? "";
        return { op: "COPY", sources: parts, destination };
      }
      case "RUN":
        return { op: "RUN", command: rest };
      case "USER":
        return { op: "USER", user: rest };
      case "EXPOSE":
        return { op: "EXPOSE", port: Number.parseInt(rest, 10) };
      case "CMD": {
        const argv: unknown = JSON.parse(rest);
        if (!Array.isArray(argv) || !argv.every((part) => typeof part === "string")) {
          throw new Error(
            `Dockerfile: CMD must be the exec form, a JSON list of strings (${line})`,
          );
        }
        return { op: "CMD", argv };
      }
      default:
        throw new Error(
          `Dockerfile: the rehearsal does not know ${op} (${line}); teach scripts/space/parse-dockerfile.ts or keep to FROM, ENV, WORKDIR, COPY, RUN, USER, EXPOSE, CMD`,
        );
    }
  });
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return /^".*"$/.test(trimmed) ? (JSON.parse(trimmed) as string) : trimmed;
}
