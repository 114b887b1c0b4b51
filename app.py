"""Illinois Aftercare Directory: the Streamlit entry point — navigation, page setup and the shared sidebar.

Every page runs inside `main()`, which loads the catalog once per catalog version (components/resources.py),
keeps the visitor's settings and referral list in their session, and turns any unexpected error into a plain message.
"""

import logging
import traceback
from pathlib import Path

import streamlit as st

from components import page_style
from components.resources import catalog_store, load_directory, online_geocoder, page_icon
from components.shell import LANG_PARAM, screen_language
from directory import catalog as store
from directory import settings as network
from directory import store as stores
from directory import translation
from directory.maps import tel_url
from directory.referrals import KEEP_PARAM, ReferralList
from directory.render import first_screen
from directory.words import t

log = logging.getLogger("aftercare.app")
# The three lines DESIGN.md asks for on every page: (number shown, words key).
CRISIS_LINES = (
    ("988", "crisis.988"),
    ("833-234-6343", "crisis.illinois"),
    ("1-800-662-4357", "crisis.samhsa"),
)
PAGES = {
    "find": ("pages/find.py", "nav.find", ":material/search:"),
    "details": ("pages/details.py", "nav.details", ":material/info:"),
    "referral-list": ("pages/referral_list.py", "nav.list", ":material/checklist:"),
    "care-plan": ("pages/care_plan.py", "nav.plan", ":material/assignment:"),
    "catalog": ("pages/catalog.py", "nav.catalog", ":material/database:"),
    "about": ("pages/about.py", "nav.about", ":material/menu_book:"),
}


def switch_link(lang: str) -> str:
    """The address of this very page in `lang`: the same URL parameters (search, `list=`), `lang` changed."""
    return first_screen.switch_href(st.query_params.to_dict(), lang)


# When the link is pressed it takes the address bar as it is then (a page may have changed the search or
# the list after the bar was drawn) and changes only `lang`; without scripts the link drawn here works.
_SWITCH_SCRIPT = """<script>
document.documentElement.lang = "%s";  // the page's language, for screen readers and hyphenation
if (!window.__aftercareLangSwitch) {
  window.__aftercareLangSwitch = true;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("nav.crisis-bar .crisis-bar-lang a");
    if (!link) return;
    var url = new URL(window.location.href);
    url.searchParams.set("lang", link.getAttribute("hreflang"));
    link.setAttribute("href", url.pathname + url.search);
  }, true);
}
</script>"""


def crisis_bar() -> None:
    """The crisis bar and the app's layout rules, with a link to this page in the other language.

    The link loads the page anew with the same URL parameters (the search, `list=`): the Care plan
    page's guard asks before an unsaved draft is lost, as for any reload; the sidebar's switch does not
    reload. Only fixed words and escaped, percent-encoded URL parameters reach the HTML next to the script.
    """
    other = next(code for code in translation.LANGUAGES if code != translation.language())
    # The same bar as the Find page's first screen (directory/render/first_screen.py), static/app.css above it.
    bar = first_screen.crisis_bar(translation.language(), switch_link(other))
    st.html(
        f"<style>{page_style()}</style>{bar}{_SWITCH_SCRIPT % translation.language()}",
        unsafe_allow_javascript=True,
    )


# Widgets whose options read in the screen language (format_func): the Find page's form (keys f_…),
# the Care plan's paper size and choice of residence.
RELABELLED_WIDGETS = ("f_", "plan_paper", "cp.housing.resource_id")


def choose_language(lang: str) -> None:
    """The sidebar's language switch: a rerun in the same session, so nothing typed is lost."""

    def switched() -> None:
        state = st.session_state
        chosen = state.get("lang_switch")
        if chosen in translation.LANGUAGES:
            state["screen_lang"] = chosen
            st.query_params[LANG_PARAM] = chosen
            # A choice widget's browser side holds the chosen option as its label ("List"); in the new
            # language no label matches, so each such widget is given its value again from here.
            for key in [k for k in state if str(k).startswith(RELABELLED_WIDGETS)]:
                state[key] = state[key]

    st.session_state["lang_switch"] = lang
    st.sidebar.segmented_control(
        t("lang.label"),
        translation.LANGUAGES,
        help=t("lang.help"),
        format_func=translation.LANGUAGE_NAMES.get,
        key="lang_switch",
        on_change=switched,
    )


def crisis_sidebar() -> None:
    with st.sidebar:
        st.subheader(t("crisis.title"))
        lines = [f"**[{number}]({tel_url(number)})** — {t(key)}" for number, key in CRISIS_LINES]
        st.markdown("  \n".join(lines) + "  \n" + t("crisis.911"))


def settings_sidebar() -> network.Settings:
    base = network.from_env()
    with st.sidebar.expander(t("settings.title")):
        st.caption(t("settings.offline_note"))
        geocoding = st.toggle(
            t("settings.geocoding"),
            value=base.online_geocoding,
            key="set_geocoding",
            help=t("settings.geocoding_help"),
        )
        tiles = st.toggle(
            t("settings.tiles"), value=base.map_tiles, key="set_tiles", help=t("settings.tiles_help")
        )
    return base.replace(online_geocoding=geocoding, map_tiles=tiles)


def open_directory() -> bool:
    """Put the catalog and index in the session; False (with a message shown) when there is none."""
    target = stores.default_target()
    if not stores.is_database_url(target) and not Path(target).is_file():
        st.error(t("app.no_catalog"))
        return False
    try:
        identity = stores.identity(target)
        catalog, index = load_directory(target, identity, catalog_store(target, identity).version())
    except store.CatalogError as exc:
        st.error(t("app.bad_catalog", problem=str(exc)))
        return False
    st.session_state["catalog"], st.session_state["search_index"] = catalog, index
    return True


def main() -> None:
    lang = screen_language()
    translation.set_language(lang)  # before anything is drawn: every t() of this run speaks it
    asked = str(st.query_params.get(LANG_PARAM, "")).strip().lower()
    # A chosen language stays in the address bar on every page; an old link's `lang=pl` (the search's
    # filter, read by the Find page) is left for the page to turn into `speaks=`.
    if "screen_lang" in st.session_state and asked != lang and (not asked or asked in translation.LANGUAGES):
        st.query_params[LANG_PARAM] = lang
    st.set_page_config(page_title=t("app.title"), page_icon=page_icon(), layout="wide")
    pages = [
        st.Page(path, title=t(key), icon=icon, url_path=slug, default=slug == "find")
        for slug, (path, key, icon) in PAGES.items()
    ]
    page = st.navigation(pages)
    state = st.session_state
    state.setdefault("referral_list", ReferralList())
    crisis_bar()
    choose_language(lang)
    crisis_sidebar()
    list_link = st.sidebar.empty()
    settings = state["settings"] = settings_sidebar()
    state["geocoder"] = online_geocoder() if settings.online_geocoding else None
    has_catalog = open_directory()
    if has_catalog and not state.get("_list_restored"):
        state["_list_restored"] = True
        restore_list(state["referral_list"], state["catalog"])

    # Widget callbacks have run by now; a page that changes the list later calls state["show_list_count"].
    def show_list_count() -> None:
        label = t("sidebar.list_count", count=len(state["referral_list"]))
        list_link.page_link(PAGES["referral-list"][0], label=label)
        keep_list_in_url(state["referral_list"])

    state["show_list_count"] = show_list_count
    show_list_count()
    try:
        if not has_catalog and page.url_path not in ("about", "care-plan"):
            return
        page.run()
    except Exception as exc:  # noqa: BLE001 - the visitor gets a message, never a traceback
        # The type only: messages can quote what somebody typed.
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        log.error(
            "page %s failed with %s at %s:%s",
            page.url_path or "find",
            type(exc).__name__,
            Path(frame.filename).name,
            frame.lineno,
        )
        st.error(t("app.error"))


def restore_list(picked: ReferralList, catalog) -> None:
    """A new session (a reload) takes the referral list back from the address bar: known ids only."""
    raw = st.query_params.get(KEEP_PARAM, "")
    if raw and not len(picked):
        from_url = ReferralList.from_share_params({"ids": raw})
        for resource in catalog.get_many(from_url.ids):
            picked.add(resource.id)


def keep_list_in_url(picked: ReferralList) -> None:
    """The list's ids in the address bar of whatever page is shown, so a reload does not lose them."""
    value = picked.keep_value()
    if value and st.query_params.get(KEEP_PARAM) != value:
        st.query_params[KEEP_PARAM] = value
    elif not value and KEEP_PARAM in st.query_params:
        del st.query_params[KEEP_PARAM]


main()
