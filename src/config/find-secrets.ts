import { type Document, isMap, isPair, isScalar, isSeq } from "yaml";
import { type SecretAdvice, secretAdvice } from "./secret-advice.ts";

interface SecretFinding {
  path: PropertyKey[];
  /** "key" when the key names a secret, "value" when the value has the shape of one. */
  part: "key" | "value";
  message: string;
  fix: string;
}

/** Every key or value in the document that is a secret; their values are never repeated. */
export function findSecrets(doc: Document): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const visit = (node: unknown, path: PropertyKey[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined) continue;
        const value = isScalar(pair.value) ? pair.value.value : undefined;
        const advice = secretAdvice(key, value);
        if (advice) {
          const part = secretAdvice(undefined, value) ? "value" : "key";
          findings.push(finding([...path, key], part, advice));
        } else {
          visit(pair.value, [...path, key]);
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const advice = isScalar(item) ? secretAdvice(undefined, item.value) : undefined;
        if (advice) {
          findings.push(finding([...path, index], "value", advice));
        } else {
          visit(item, [...path, index]);
        }
      });
    }
  };
  visit(doc.contents, []);
  return findings;
}

function finding(path: PropertyKey[], part: "key" | "value", advice: SecretAdvice): SecretFinding {
  return {
    path,
    part,
    message: `looks like ${advice.looksLike}; secrets do not belong in the config file (value not shown)`,
    fix: `delete it here and set ${advice.useInstead} in the environment instead`,
  };
}
