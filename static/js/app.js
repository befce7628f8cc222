// What every page shares: the message region, action ids, retries, and requests that get
// no answer.
//
// Refusals and form errors arrive as 4xx fragments that htmx swaps in (base.html's
// htmx-config). This module covers the rest. An action (a form with an action_id) that
// could not reach the server, or that the server answered 503 (the database not
// answering), is sent again with the same action id — which the server applies once —
// after 0.5, 1, 2, 4, 8, 8 and 8 s (body's data-retry-delays), while the message region
// says "reconnecting"; then it says the action was not saved. Any other failure (a 500)
// says so at once. Every form's request ends with the event "annotator:done" on the
// document (detail: the form and the final status, 0 if there was no answer), once, after
// its last attempt; whenDone(form) waits for it.
"use strict";
window.annotator = (() => {
  function say(text, isError) {
    const box = document.getElementById("messages");
    if (!box) return;
    const p = document.createElement("p");
    p.className = isError ? "message message-error" : "message";
    p.textContent = text;
    box.replaceChildren(p);
    return p;
  }


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
    const attempts = new WeakMap(); // form → retries made for its current action
  let reconnecting = null; // the message shown while retrying

  function retry(form, submitter) {
    const delays = (document.body.dataset.retryDelays || "").split(",").filter(Boolean);
    const made = attempts.get(form) || 0;
    if (made >= delays.length) return false;
    attempts.set(form, made + 1);
    reconnecting = say(document.body.dataset.reconnecting);
    window.setTimeout(() => {
      // The same values and action id: nothing clears them until the server answers.
      if (submitter && submitter.isConnected) {
        window.htmx.process(submitter);
        submitter.click();
      } else form.requestSubmit();
    }, Number(delays[made]) * 1000);
    return true;
  }

  document.addEventListener("htmx:afterRequest", (event) => {
    const config = event.detail.requestConfig;
    const elt = config && config.elt;
    const form = elt instanceof HTMLFormElement ? elt : null;
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    const input = form && form.querySelector('input[name="action_id"]');
    const transient = status === 0 || status === 503;
    const submitter = config && config.triggeringEvent && config.triggeringEvent.submitter;
    if (input && transient && form.isConnected && retry(form, submitter)) return;
    if (input) input.value = "";
    if (status === 0) say(document.body.dataset.unreachable, true);
    else if (status >= 500) say(document.body.dataset.failed.replace("%(status)s", status), true);
    else if (reconnecting && reconnecting.isConnected) reconnecting.remove();
    reconnecting = null;
    if (!form) return;
    attempts.delete(form);
    document.dispatchEvent(new CustomEvent("annotator:done", { detail: { form, status } }));
  });

  // The final status of the form's next request (after its retries, if any).
  function whenDone(form) {
    return new Promise((resolve) => {
      const listener = (event) => {
        if (event.detail.form !== form) return;
        document.removeEventListener("annotator:done", listener);
        resolve(event.detail.status);
      };
      document.addEventListener("annotator:done", listener);
    });
  }

  return { say, whenDone };
})();
