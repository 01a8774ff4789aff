// The writing page: autosave to the server, a copy in this browser, the live preview,
// language detection and keyboard shortcuts. Data comes from the form's data- attributes and
// the json_script element; no inline script (a Content-Security-Policy can forbid them).

const form = document.getElementById("studio-form");
const status = document.getElementById("studio-status");
const conflictBox = document.getElementById("studio-conflict");
const localBox = document.getElementById("studio-local");
const body = document.getElementById("id_body");
const title = document.getElementById("id_title");
const languageSelect = document.getElementById("id_language");
const lockField = form.elements.language_locked;
const serverData = JSON.parse(document.getElementById("studio-server-data").textContent);
const msg = form.dataset;
const AUTOSAVE_MS = 1000 * Number(form.dataset.autosaveSeconds || 4);
const FIELDS = Object.keys(serverData);

let storageKey = form.dataset.storageKey;
let dirty = false; // typed since the last save that succeeded
let inFlight = null;
let stopped = false; // a conflict: no more autosave until the page is reloaded
let previewTimer = null;

function fieldValues() {
  const data = {};
  for (const name of FIELDS) {
    const element = form.elements[name];
    if (!element) continue;
    data[name] = element.type === "checkbox" ? (element.checked ? "on" : "") : element.value;
  }
  return data;
}

function fill(data) {
  for (const name of FIELDS) {
    const element = form.elements[name];
    if (!element || !(name in data)) continue;
    if (element.type === "checkbox") element.checked = Boolean(data[name]);
    else element.value = data[name];
  }
  languageChanged();
}

function sameData(a, b) {
  return FIELDS.every((name) => (a[name] || "") === (b[name] || ""));
}

// The copy in this browser: written at every keystroke, marked synced once the server has it.
function readLocal() {
  try {
    return JSON.parse(localStorage.getItem(storageKey) || "null");
  } catch (error) {
    return null;
  }
}

function writeLocal(synced) {
  try {
    const copy = { data: fieldValues(), at: new Date().toISOString(), synced };
    localStorage.setItem(storageKey, JSON.stringify(copy));
  } catch (error) {
    // A full or forbidden storage: the server's copy is the only one.
  }
}

function offerLocalCopy() {
  const copy = readLocal();
  if (!copy || copy.synced || sameData(copy.data, serverData)) return;
  document.getElementById("studio-local-time").textContent = new Date(copy.at).toLocaleString();
  localBox.hidden = false;
  document.getElementById("studio-local-restore").addEventListener("click", () => {
    fill(copy.data);
    localBox.hidden = true;
    changed();
    body.focus();
  });
  document.getElementById("studio-local-discard").addEventListener("click", () => {
    localStorage.removeItem(storageKey);
    localBox.hidden = true;
    title.focus();
  });
}

function payload(action) {
  const data = new FormData(form);
  data.set("action", action);
  return data;
}

function showErrors(errors) {
  for (const slot of form.querySelectorAll("[data-error-for]")) {
    const messages = errors[slot.dataset.errorFor];
    slot.textContent = messages ? messages.join(" ") : "";
  }
}

function adopt(answer) {
  // A new post now has an address: later saves go there, and so does its local copy.
  if (answer.save_url && form.dataset.saveUrl !== answer.save_url) {
    const copy = localStorage.getItem(storageKey);
    storageKey = `salon-studio:${answer.post_id}`;
    if (copy) localStorage.setItem(storageKey, copy);
    localStorage.removeItem("salon-studio:new");
    form.dataset.saveUrl = answer.save_url;
    form.dataset.postId = answer.post_id;
    form.action = answer.save_url;
    history.replaceState(null, "", answer.edit_url);
  }
  form.elements.version.value = answer.version;
}

async function save(action = "autosave") {
  if (stopped || inFlight) return inFlight;
  const sent = fieldValues();
  const data = payload(action);
  dirty = false;
  status.textContent = msg.msgSaving;
  inFlight = fetch(form.dataset.saveUrl, {
    method: "POST",
    body: data,
    headers: { Accept: "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") },
    credentials: "same-origin",
  })
    .then(async (response) => {
      const answer = await response.json();
      if (answer.version) adopt(answer);
      status.textContent = answer.message;
      if (answer.conflict) {
        stopped = true;
        conflictBox.textContent = `${answer.message} `;
        const reload = document.createElement("button");
        reload.type = "button";
        reload.textContent = msg.msgReload;
        reload.addEventListener("click", () => window.location.reload());
        conflictBox.append(reload);
        conflictBox.hidden = false;
        dirty = true;
        writeLocal(false);
        return answer;
      }
      if (!answer.saved) {
        dirty = true;
        return answer;
      }
      showErrors(answer.errors || {});
      if (sameData(sent, fieldValues())) writeLocal(true);
      else dirty = true;
      if (answer.reload) window.location.assign(answer.edit_url);
      return answer;
    })
    .catch(() => {
      dirty = true;
      status.textContent = msg.msgOffline;
    })
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}

// Leaving the page: one last save that outlives it.
function saveOnLeave() {
  if (!dirty || stopped || !navigator.sendBeacon) return;
  const data = payload("autosave");
  data.set("beacon", "1");
  navigator.sendBeacon(form.dataset.saveUrl, data);
}

async function refreshPreview() {
  const data = new FormData(form);
  data.set("post", form.dataset.postId || "");
  try {
    const response = await fetch(form.dataset.previewUrl, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") },
      credentials: "same-origin",
    });
    if (!response.ok) return;
    const shown = await response.json();
    document.getElementById("studio-preview-body").innerHTML = shown.body_html;
    if (window.salonEmbeds) window.salonEmbeds.prepare(); // the embeds' click-to-load buttons
    document.getElementById("studio-words").textContent = shown.words;
    document.getElementById("studio-minutes").textContent = shown.minutes;
    for (const slot of form.querySelectorAll("[data-card-for]")) {
      slot.innerHTML = shown.cards[slot.dataset.cardFor] || "";
    }
    for (const slot of form.querySelectorAll("[data-warning-for]")) {
      slot.textContent = shown.warnings[slot.dataset.warningFor] || "";
    }
    if (!lockField.value && shown.detected && shown.detected !== languageSelect.value) {
      languageSelect.value = shown.detected;
      languageChanged();
      changed();
    }
  } catch (error) {
    // The preview waits for the server to come back, like the saves.
  }
}

function languageChanged() {
  const code = languageSelect.value;
  for (const element of [title, body, document.getElementById("studio-preview-article")]) {
    element.lang = code;
  }
  for (const block of form.querySelectorAll(".studio-summary")) {
    block.hidden = block.dataset.language === code;
  }
  document.getElementById("studio-language-note").textContent = lockField.value
    ? msg.msgChosen
    : msg.msgDetected;
}

function changed() {
  dirty = true;
  writeLocal(false);
  if (!stopped && status.textContent !== msg.msgSaving) status.textContent = msg.msgUnsaved;
  document.getElementById("studio-preview-title").textContent = title.value;
  clearTimeout(previewTimer);
  previewTimer = setTimeout(refreshPreview, 500);
}

form.addEventListener("input", (event) => {
  if (event.target.name === "version") return;
  changed();
});
languageSelect.addEventListener("change", () => {
  lockField.value = "on";
  languageChanged();
});

// The action buttons save through the same path, then reload on success.
form.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (!button || button.name !== "action" || button.getAttribute("formaction")) return;
  event.preventDefault();
  if (inFlight) inFlight.then(() => save(button.value));
  else save(button.value);
});

const SHORTCUTS = { b: "md-bold", i: "md-italic", k: "md-link" };
document.addEventListener("keydown", (event) => {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
  const key = event.key.toLowerCase();
  if (key === "s") {
    event.preventDefault();
    save("revision");
  } else if (event.target === body && SHORTCUTS[key]) {
    event.preventDefault();
    form.querySelector(SHORTCUTS[key]).click();
  }
});

setInterval(() => {
  if (dirty) save();
}, AUTOSAVE_MS);
window.addEventListener("pagehide", saveOnLeave);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") saveOnLeave();
});

offerLocalCopy();
languageChanged();
