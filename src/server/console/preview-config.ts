import type { LocatedConfigProblem } from "../../config/config-error.ts";
import type { BridgeConfig } from "../../config/config-schema.ts";
import { parseConfigText } from "../../config/parse-config-text.ts";
import { planEffects } from "../../rules/plan-effects.ts";
import type { DeliverySummary, Store } from "../../store/store.ts";
import { describeEffectInWords } from "./describe-effect-in-words.ts";

/** How many stored deliveries a preview may plan for; each is read in full. */
const MAX_PREVIEW_DELIVERIES = 100;

interface PreviewRow {
  delivery: DeliverySummary;
  /** What the running config did (its recorded outcome) or, not run yet, would do. */
  running: string[];
  /** What the pasted config would do. */
  pasted: string[];
}

export type ConfigPreview = { problems: LocatedConfigProblem[] } | { rows: PreviewRow[] };

/**
 * A dry run of a changed hf-bridge.yml over the last `last` stored deliveries, beside what the
 * running config did. Pure planning: nothing is written, to the store or to GitHub.
 */
export async function previewConfig(options: {
  text: string;
  running: BridgeConfig;
  store: Store;
  last: number;
}): Promise<ConfigPreview> {
  const parsed = parseConfigText(options.text, "hf-bridge.yml");
  if ("problems" in parsed) return { problems: parsed.located };
  const last = Math.min(Math.max(1, Math.trunc(options.last) || 1), MAX_PREVIEW_DELIVERIES);
  const page = await options.store.listDeliveryPage({ limit: last });
  const rows: PreviewRow[] = [];
  for (const delivery of page.deliveries) {
    const detail = await options.store.getDeliveryDetail(delivery.id);
    const event = detail?.event;
    if (!event) {
      const why = `Not queued (${delivery.disposition}${delivery.reason ? `: ${delivery.reason}` : ""}); no event kept to plan for`;
      rows.push({ delivery, running: [why], pasted: [why] });
      continue;
    }
    const did = delivery.outcome?.effects.map(({ effect, result }) =>
      describeEffectInWords(effect, result),
    );
    rows.push({
      delivery,
      running: did && did.length > 0 ? did : plan(event, options.running),
      pasted: plan(event, parsed.config),
    });
  }
  return { rows };
}

function plan(event: Parameters<typeof planEffects>[0], config: BridgeConfig): string[] {
  const planned = planEffects(event, config);
  if (planned.effects.length === 0) return [`Nothing: ${planned.reason ?? "no effect applies"}`];
  return planned.effects.map((effect) => describeEffectInWords(effect, undefined));
}
