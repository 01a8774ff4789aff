/* Embeds, privacy first: a post shows each embed as a local preview (title, thumbnail kept on
   this blog, provider's name, a link to the original). Nothing is asked of the provider until
   the reader presses the button this script adds; then, and only then, the provider's player
   is loaded in a sandboxed iframe built here from the address the blog checked (https, on the
   provider's own site). Without JavaScript, the preview stays a plain link. */
(function () {
  "use strict";

  function load(figure, button) {
    var src = figure.getAttribute("data-embed-src") || "";
    if (src.indexOf("https://") !== 0) {
      return;
    }
    var frame = document.createElement("iframe");
    frame.src = src;
    frame.title = figure.getAttribute("data-embed-title") || "";
    frame.width = figure.getAttribute("data-embed-width") || "560";
    frame.height = figure.getAttribute("data-embed-height") || "315";
    frame.setAttribute(
      "sandbox",
      "allow-scripts allow-same-origin allow-popups allow-presentation allow-forms"
    );
    frame.setAttribute("allow", "fullscreen; picture-in-picture; encrypted-media");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.className = "media-embed-frame";
    if (Number(frame.width) > 0 && Number(frame.height) > 0) {
      frame.style.aspectRatio = frame.width + " / " + frame.height;
    }
    var preview = figure.querySelector(".media-embed-preview");
    if (preview) {
      preview.parentNode.replaceChild(frame, preview);
    } else {
      figure.insertBefore(frame, figure.firstChild);
    }
    button.parentNode.removeChild(button);
    figure.classList.add("media-embed-loaded");
    frame.focus();
  }

  function prepare(figure) {
    if (figure.getAttribute("data-embed-ready")) {
      return;
    }
    figure.setAttribute("data-embed-ready", "1");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "media-embed-load";
    button.textContent = figure.getAttribute("data-embed-label") || "▶";
    button.addEventListener("click", function () {
      load(figure, button);
    });
    var caption = figure.querySelector("figcaption") || figure;
    caption.appendChild(button);
  }

  function prepareAll() {
    var figures = document.querySelectorAll("figure.media-embed[data-embed-src]");
    for (var i = 0; i < figures.length; i += 1) {
      prepare(figures[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", prepareAll);
  } else {
    prepareAll();
  }
  // Pages that add bodies later (the writing page's preview) call this again.
  window.salonEmbeds = { prepare: prepareAll };
})();
