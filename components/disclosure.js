// Tells the server whether the expander this element sits in is open (components/disclosure.py).
// No visible output. Sends {open} when the person opens or closes the expander, and once at mount when it is
// already open (the page was drawn again while open); a closed expander at mount sends nothing (no rerun).
export default function ({ parentElement, setStateValue }) {
  const details = parentElement.closest("details");
  if (!details) return undefined;
  const send = () => setStateValue("open", details.open);
  details.addEventListener("toggle", send);
  if (details.open) send();
  return () => details.removeEventListener("toggle", send);
}
