// The comment form's signed "shown at" time. A post's page is the same for every reader (kept
// whole, or published as a file for the front server), so it cannot carry the time it was
// shown to this reader: it is asked for when the reader starts on the form, and the server
// checks that a person's time went by between then and sending. Without this script the
// comment is sent once more from a page that carries a time (views.post_comment).
document.addEventListener("focusin", (event) => {
  const form = event.target.closest && event.target.closest("form.comment-form");
  const field = form && form.querySelector('input[name="shown"]');
  if (!field || field.value || form.dataset.asking) {
    return;
  }
  form.dataset.asking = "yes";
  fetch(form.dataset.shownUrl, { credentials: "omit", headers: { Accept: "application/json" } })
    .then((answer) => (answer.ok ? answer.json() : null))
    .then((stamp) => {
      if (stamp && !field.value) {
        field.value = stamp.shown;
      }
    })
    .catch(() => {})
    .finally(() => {
      delete form.dataset.asking;
    });
});
