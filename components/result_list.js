// The result cards of the Find page, drawn in the browser as one element (components/result_list.py).
// Catalog text is untrusted: every word is set with textContent, every address was checked on the
// server (directory.words.safe_url) and is checked again here, so nothing from the catalog becomes HTML.

const SAFE = /^(https?:\/\/|tel:|sms:|geo:)[^\s<>"'`]*$/;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function icon(name) {
  const node = el("span", "ac-icon", name);
  node.setAttribute("aria-hidden", "true");
  return node;
}

function link(label, url) {
  const a = el("a", "ac-link", label);
  a.href = url;
  if (/^https?:/.test(url)) {
    a.target = "_blank";
    a.rel = "noopener noreferrer";
  }
  return a;
}

function card(item, labels) {
  const li = el("li", "ac-card");
  li.dataset.id = item.id;
  const head = el("p", "ac-head");
  head.append(el("strong", "ac-name", item.name), document.createElement("br"), item.kind);
  if (item.distance) head.append(" · ", el("strong", "", item.distance));
  li.append(head);
  if (item.badges.length) {
    const badges = el("p", "ac-badges");
    for (const [text, colour] of item.badges) {
      const badge = el("span", `ac-badge ac-badge-${colour === "red" ? "red" : "orange"}`);
      badge.append(icon("warning"), text);
      badges.append(badge);
    }
    li.append(badges);
  }
  const body = el("p", "ac-body");
  item.lines.forEach((line, n) => {
    if (n) body.append(document.createElement("br"));
    body.append(line);
  });
  if (body.childNodes.length) li.append(body);
  // The links in a wrapping row with space between them, no "·" (on a phone a line would start with one).
  const links = item.links.filter(([, url]) => SAFE.test(url));
  if (links.length) {
    const row = el("p", "ac-links");
    row.append(...links.map(([label, url]) => link(label, url)));
    li.append(row);
  }
  li.append(el("p", "ac-caption", item.caption));
  const actions = el("div", "ac-actions");
  const details = el("a", "ac-details");
  details.href = `details?id=${encodeURIComponent(item.id)}`;
  details.dataset.action = "details";
  details.append(icon("info"), labels.details);
  const add = el("button", "ac-add", item.added ? labels.added : labels.add);
  add.type = "button";
  add.dataset.action = "add";
  if (item.added) add.setAttribute("aria-disabled", "true");
  actions.append(details, add);
  li.append(actions);
  return li;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let list = parentElement.querySelector(":scope > ul.ac-list");
  if (!list) {
    list = el("ul", "ac-list");
    parentElement.append(list);
    list.addEventListener("click", (event) => {
      const target = event.target.closest("[data-action]");
      if (!target || !list.contains(target)) return;
      const id = target.closest("[data-id]").dataset.id;
      if (target.dataset.action === "details") {
        // A plain click opens the details in this tab without reloading the app; a middle click or
        // ctrl/cmd-click opens the link in a new tab as any link does.
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        list.send("details", id);
      } else if (target.getAttribute("aria-disabled") !== "true") {
        target.setAttribute("aria-disabled", "true");
        list.send("add", id);
      }
    });
  }
  list.send = setTriggerValue;
  list.setAttribute("aria-label", data.labels.list);
  // Redrawn on every run: the control that had the focus keeps it (an "Add" press reruns the page).
  const active = document.activeElement;
  const focused = active && list.contains(active) ? [active.closest("[data-id]").dataset.id, active.dataset.action] : null;
  list.replaceChildren(...data.cards.map((item) => card(item, data.labels)));
  if (focused) {
    const again = [...list.children].find((li) => li.dataset.id === focused[0]);
    again?.querySelector(`[data-action="${focused[1]}"]`)?.focus();
  }
}
