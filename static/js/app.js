// What every page shares: the message region, action ids, and requests that get no answer.
//
// Refusals and form errors arrive as 4xx fragments that htmx swaps in (base.html's
// htmx-config). This module covers the rest: a request that never reached the server, or
// an answer htmx does not swap (a 500), says so in the message region.
"use strict";
window.annotator = (() => {
  function say(text, isError) {
    const box = document.getElementById("messages");
    if (!box) return;
    const p = document.createElement("p");
    p.className = isError ? "message message-error" : "message";
    p.textContent = text;
    box.replaceChildren(p);
  }

  document.body.addEventListener("htmx:sendError", () => say(document.body.dataset.unreachable, true));
  document.body.addEventListener("htmx:responseError", (event) =>
    say(document.body.dataset.failed.replace("%(status)s", event.detail.xhr.status), true),
  );

  function uuid() {
    if (window.crypto.randomUUID) return window.crypto.randomUUID();
    const b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // A form with an action_id field gets an id when it is submitted and keeps it until the
  // server answers: sending it again after a network failure repeats the same action, which
  // the server applies once.
  document.addEventListener(
    "submit",
    (event) => {
      const input = event.target.querySelector('input[name="action_id"]');
      if (input && !input.value) input.value = uuid();
    },
    true,
  );
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.requestConfig && event.detail.requestConfig.elt;
    const answered = event.detail.xhr && event.detail.xhr.status;
    const input = form instanceof HTMLFormElement && form.querySelector('input[name="action_id"]');
    if (input && answered) input.value = "";
  });

  return { say };
})();
