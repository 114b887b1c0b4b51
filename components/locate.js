// "Use my location" (components/locate.py): a button drawn in the page itself. It asks the browser for its
// position only when pressed and keeps {lat, lon, ts} or {error: "denied" | "unavailable" | "unsupported",
// ts} as the element's state, which goes to this app with the next run and nowhere else.

const OPTIONS = { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 };

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let button = parentElement.querySelector(":scope > button.ac-locate");
  if (!button) {
    button = document.createElement("button");
    button.type = "button";
    button.className = "ac-locate";
    parentElement.append(button);
    button.addEventListener("click", () => {
      if (button.disabled) return;
      const answer = (value) => {
        button.disabled = false;
        button.removeAttribute("aria-busy");
        button.send("answer", { ...value, ts: Date.now() });
      };
      if (!navigator.geolocation) {
        answer({ error: "unsupported" });
        return;
      }
      button.disabled = true; // until the browser answers: one question at a time
      button.setAttribute("aria-busy", "true");
      navigator.geolocation.getCurrentPosition(
        (position) => answer({ lat: position.coords.latitude, lon: position.coords.longitude }),
        (error) => answer({ error: error && error.code === 1 ? "denied" : "unavailable" }),
        OPTIONS,
      );
    });
  }
  button.send = setStateValue; // the newest run's, as the result cards do
  button.textContent = data && typeof data.label === "string" ? data.label : "";
}
