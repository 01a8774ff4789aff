// The conversations desk without reloads: every form already works on its own (POST, then the
// desk again); this script only spares the reload of the one-response buttons, offers "select
// all", asks before deleting, and lets Ctrl+Enter (⌘+Enter) publish an answer.
(function () {
  "use strict";
  const script = document.currentScript;

  function announce(text) {
    const region = document.querySelector(".desk-messages");
    if (!region) return;
    const line = document.createElement("p");
    line.className = "notice";
    line.textContent = text;
    region.replaceChildren(line);
  }

  async function moderate(form, action) {
    const data = new FormData(form);
    data.set("action", action);
    // form.action would be the buttons named "action": read the attribute.
    const answer = await fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!answer.ok) throw new Error(String(answer.status));
    return answer.json();
  }

  function setup() {
    const selectAll = document.querySelector("[data-select-all]");
    if (selectAll) {
      selectAll.closest("label").hidden = false;
      selectAll.addEventListener("change", () => {
        document.querySelectorAll("input[name=ids][form=desk-bulk]").forEach((box) => {
          box.checked = selectAll.checked;
        });
      });
    }
    const bulk = document.getElementById("desk-bulk");
    if (bulk) {
      bulk.addEventListener("submit", (event) => {
        if (bulk.elements.action.value === "delete" && !window.confirm(script.dataset.confirmDelete)) {
          event.preventDefault();
        }
      });
    }
    document.querySelectorAll("form[data-confirm]").forEach((form) => {
      form.addEventListener("submit", (event) => {
        if (!window.confirm(script.dataset.confirmDelete)) event.preventDefault();
      });
    });
    document.querySelectorAll("form[data-inline]").forEach((form) => {
      form.addEventListener("submit", async (event) => {
        const action = event.submitter ? event.submitter.value : "";
        if (!action) return;
        event.preventDefault();
        if (action === "delete" && !window.confirm(script.dataset.confirmDelete)) return;
        const item = form.closest(".desk-item");
        try {
          const result = await moderate(form, action);
          announce(result.message);
          for (const row of result.done) {
            if (row.state === "deleted") {
              item.remove();
              continue;
            }
            item.dataset.state = row.state;
            const badge = item.querySelector(".desk-state");
            badge.dataset.state = row.state;
            badge.textContent = row.label;
          }
          // The button pressed may be hidden now (its state is reached): keep the focus near.
          const visible = (element) => element && element.offsetParent !== null;
          if (item.isConnected) {
            const button = Array.from(item.querySelectorAll(".desk-actions button")).find(visible);
            if (button && !visible(document.activeElement)) button.focus();
          } else {
            const heading = document.getElementById("desk-title");
            heading.tabIndex = -1;
            heading.focus();
          }
        } catch (error) {
          // Send it the ordinary way, the button's choice included.
          announce(script.dataset.failed);
          const choice = document.createElement("input");
          choice.type = "hidden";
          choice.name = "action";
          choice.value = action;
          form.append(choice);
          window.setTimeout(() => form.submit(), 1500);
        }
      });
    });
    document.querySelectorAll(".desk-answer-form textarea").forEach((area) => {
      area.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          area.form.requestSubmit();
        }
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
