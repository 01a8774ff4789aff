// Adds a "Preview" button under the body field of the post and page forms: the text is
// rendered by the server with the same Markdown code as the public site.
(function () {
  "use strict";
  const script = document.currentScript;
  function setup() {
    const body = document.getElementById("id_body");
    if (!body) return;
    const format = document.getElementById("id_body_format");
    const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button markdown-preview-button";
    button.textContent = script.dataset.previewLabel;
    const panel = document.createElement("div");
    panel.className = "markdown-preview";
    panel.hidden = true;
    body.parentNode.append(button, panel);
    // The preview URL is relative to the change form (…/post/<id>/change/ or …/post/add/).
    const url = new URL(location.pathname.endsWith("/add/") ? "../preview/" : script.dataset.previewUrl, location.href);
    button.addEventListener("click", async () => {
      if (!panel.hidden) { panel.hidden = true; button.textContent = script.dataset.previewLabel; return; }
      const data = new FormData();
      data.append("body", body.value);
      data.append("body_format", format ? format.value : "markdown");
      const response = await fetch(url, { method: "POST", body: data, headers: { "X-CSRFToken": csrf.value } });
      const json = await response.json();
      panel.innerHTML = json.html;
      panel.hidden = false;
      button.textContent = script.dataset.hideLabel;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup); else setup();
})();
