/**
 * Served at /console/refresh.js (the CSP allows scripts from this origin only). Every few seconds it
 * fetches the page it is on and swaps in its `[data-refresh]` parts, so lists stay current without a
 * reload; without JavaScript the page's Refresh link does the same.
 */
export const CONSOLE_REFRESH_SCRIPT = `"use strict";
(() => {
  const EVERY_MS = 3000;
  const stamp = () => {
    const note = document.getElementById("refreshed");
    if (note) note.textContent = "Updated " + new Date().toLocaleTimeString();
  };
  const refresh = async () => {
    try {
      const response = await fetch(location.href, { headers: { accept: "text/html" }, credentials: "same-origin" });
      if (!response.ok) return;
      const next = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const part of document.querySelectorAll("[data-refresh]")) {
        const fresh = next.getElementById(part.id);
        if (fresh) part.innerHTML = fresh.innerHTML;
      }
      stamp();
    } catch {
      // Offline for a moment: the next tick tries again.
    }
  };
  setInterval(refresh, EVERY_MS);
})();
`;
