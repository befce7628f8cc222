// Upload form: drag-and-drop onto the drop zone, the chosen files listed, a progress bar.
// A refused upload (too large, not a file we read) answers like any refusal (app.js).
"use strict";
(() => {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const zone = document.getElementById("dropzone");
  const input = document.getElementById("id_files");
  const chosen = document.getElementById("chosen");
  const progress = document.getElementById("upload-progress");

  const list = () => {
    chosen.textContent = Array.from(input.files).map((f) => f.name).join(", ");
  };
  input.addEventListener("change", list);
  ["dragenter", "dragover"].forEach((name) =>
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    }),
  );
  ["dragleave", "drop"].forEach((name) =>
    zone.addEventListener(name, () => zone.classList.remove("dragging")),
  );
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    input.files = event.dataTransfer.files;
    list();
  });

  form.addEventListener("htmx:xhr:progress", (event) => {
    if (!event.detail.lengthComputable) return;
    progress.hidden = false;
    progress.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });
  form.addEventListener("htmx:afterRequest", () => {
    progress.value = 100;
    form.reset();
    chosen.textContent = "";
  });
})();
