// Clicking a sentence loads its evidence (a server-rendered, escaped fragment) into the side panel.
// Served from this origin only: the page's Content-Security-Policy allows no inline script.
"use strict";

function showEvidence(link) {
  const panel = document.getElementById("evidence");
  if (!panel) {
    return;
  }
  document.querySelectorAll("a.claim.selected").forEach((el) => el.classList.remove("selected"));
  link.classList.add("selected");
  // From the panel's list of claims to check: show the sentence where it stands in the edition too.
  const inEdition = Array.from(document.querySelectorAll("#edition a.claim")).find(
    (el) => el.dataset.claimId === link.dataset.claimId,
  );
  if (inEdition && inEdition !== link) {
    inEdition.classList.add("selected");
    inEdition.scrollIntoView({ block: "center" });
  }
  panel.setAttribute("aria-busy", "true");
  fetch(link.getAttribute("href"), { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then((response) => {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.text();
    })
    .then((html) => {
      const doc = new DOMParser().parseFromString(html, "text/html");
      panel.replaceChildren(...doc.body.childNodes);
      // In a narrow window the panel sits under the edition: bring the evidence into view.
      const box = panel.getBoundingClientRect();
      if (box.top > window.innerHeight || box.bottom < 0) {
        panel.scrollIntoView({ block: "start" });
      }
    })
    .catch((error) => {
      const message = document.createElement("p");
      message.className = "error";
      message.textContent = "Could not load the evidence: " + error.message;
      panel.replaceChildren(message);
    })
    .finally(() => panel.removeAttribute("aria-busy"));
}

document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a.claim") : null;
  if (link) {
    event.preventDefault();
    showEvidence(link);
  }
});

// A correction is drafted while the request waits (minutes with the Claude writer): say so, and keep a
// second click from posting it twice (the service would refuse it, but only after the first finished).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.id !== "correct-form") {
    return;
  }
  const button = form.querySelector("#correct-button");
  if (button) {
    button.disabled = true;
    button.textContent = "Drafting the new revision…";
  }
});
