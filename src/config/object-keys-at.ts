import type { z } from "zod";

type Def = {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
};

/** The keys the schema allows in the object at `path` (array indices included), for "did you mean". */
export function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let candidates = [schema];
  for (const segment of path) {
    candidates = candidates.flatMap((candidate) => childSchemas(candidate, segment));
  }
  return [...new Set(candidates.flatMap(objectShapes).flatMap((shape) => Object.keys(shape)))];
}

function childSchemas(schema: z.ZodType, segment: PropertyKey): z.ZodType[] {
  return unwrap(schema).flatMap((inner) => {
    const def = defOf(inner);
    if (typeof segment === "number") return def.element ? [def.element] : [];
    const child = def.shape?.[String(segment)];
    return child ? [child] : [];
  });
}

function objectShapes(schema: z.ZodType): Record<string, z.ZodType>[] {
  return unwrap(schema).flatMap((inner) => {
    const shape = defOf(inner).shape;
    return shape ? [shape] : [];
  });
}

/** Looks through optional, default and prefault wrappers and into every option of a union. */
function unwrap(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === "union" && def.options) return def.options.flatMap(unwrap);
  return [schema];
}

function defOf(schema: z.ZodType): Def {
  return schema._zod.def as unknown as Def;
}
