import type { DeliverySummary } from "../../store/store.ts";
import { escapeHtml } from "../escape-html.ts";
import type { ConsoleAccess } from "./create-console-auth.ts";
import { describeDeliveryState } from "./describe-delivery-state.ts";
import { renderConsoleLayout } from "./render-console-layout.ts";

/** "Run this delivery again?" naming the delivery and its job, so nothing re-runs by a stray click. */
export function renderRerunConfirmationPage(
  access: ConsoleAccess,
  delivery: DeliverySummary,
): string {
  const csrf = "csrf" in access ? escapeHtml(access.csrf) : "";
  const state = describeDeliveryState(delivery);
  const back = `<a href="/console/delivery?id=${delivery.id}">Cancel</a>`;
  const body =
    delivery.jobId === undefined || (state !== "done" && state !== "dead")
      ? `<p class="notice" id="rerun-refused">Delivery #${delivery.id} is ${escapeHtml(state)}; only a finished job (done or dead) can run again. <a href="/console/delivery?id=${delivery.id}">Back to the delivery</a></p>`
      : `<p>Run delivery #${delivery.id} (${escapeHtml(delivery.eventKind ?? "event")}, job #${delivery.jobId}, now ${escapeHtml(state)}) again? Its job goes back to the queue with its attempts and effects cleared, so every effect is planned and applied again: what it made on GitHub is found, not made twice.</p>
<form method="post" action="/console/rerun"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="deliveryId" value="${delivery.id}"><input type="hidden" name="confirm" value="yes"><button class="danger" type="submit" id="confirm-rerun">Yes, run delivery #${delivery.id} again</button> ${back}</form>`;
  return renderConsoleLayout({ title: "Run a delivery again", access, body });
}
