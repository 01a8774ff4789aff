"""What a browser test watches for on a page that shows hostile content: any script that ran
(a dialog, a call to alert/confirm/prompt, a request leaving the site) and anything live left in
the DOM (handlers, script URLs, frames), plus every CSP violation the page reports."""

from urllib.parse import urlsplit

WATCH = """
(() => {
  window.__salonRan = [];
  window.__salonViolations = [];
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const original = window[name];
    window[name] = function (...args) {
      window.__salonRan.push(name + "(" + args.join(",") + ")");
    };
  }
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__salonViolations.push(
      event.violatedDirective + " " + (event.blockedURI || "inline") + " " +
      (event.sourceFile || "") + ":" + (event.lineNumber || "")
    );
  });
})();
"""

# Everything live a page could hold, read from the DOM after it ran.
LIVE = """
(interact) => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith("on")) found.push(el.tagName + " " + attr.name);
      if (["href", "src", "action", "formaction", "poster", "xlink:href"].includes(attr.name)
          && /^\\s*(javascript|vbscript|data):/i.test(attr.value.replace(/[\\s\\x00-\\x1f]/g, "")))
        found.push(el.tagName + " " + attr.name + "=" + attr.value);
    }
    if (["IFRAME", "OBJECT", "EMBED", "BASE", "FRAME"].includes(el.tagName))
      found.push(el.tagName);
    if (el.tagName === "SCRIPT" && !(el.src && new URL(el.src).origin === location.origin))
      found.push("inline SCRIPT " + el.textContent.slice(0, 60));
  }
  // What a reader's pointer or keyboard would set off.
  for (const el of interact ? document.querySelectorAll("main *") : []) {
    for (const type of ["mouseover", "mouseenter", "focus", "blur", "click"]) {
      if (type === "click" && (el.closest("a") || el.closest("form"))) continue;
      el.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
  return found;
}
"""


class Watcher:
    """One browser page watched for script running, requests leaving ``origin`` and CSP
    violations; ``visit(url)`` returns what it saw there."""

    def __init__(self, page, origin):
        self.page = page
        self.origin = origin
        self.dialogs = []
        self.escaped = []
        page.add_init_script(WATCH)
        page.on("dialog", self._dialog)
        page.route("**/*", self._route)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route):
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == self.origin or parts.scheme in ("data", "blob"):
            route.continue_()
        else:
            self.escaped.append(url)
            route.abort()

    def visit(self, url, expect_status=200, interact=True):
        self.dialogs.clear()
        self.escaped.clear()
        answer = self.page.goto(url)
        assert answer.status == expect_status, (url, answer.status)
        self.policy = answer.headers.get("content-security-policy", "")
        self.page.wait_for_load_state("load")
        live = self.page.evaluate(LIVE, interact)
        self.page.wait_for_timeout(30)
        ran = self.page.evaluate("window.__salonRan")
        return {
            "ran": ran + self.dialogs,
            "live": live,
            "escaped": list(self.escaped),
            "violations": self.page.evaluate("window.__salonViolations"),
        }
