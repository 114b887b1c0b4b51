"""Find resources: a place, a distance and filters in; result cards or a map out. The search lives in the URL."""

from datetime import datetime

import streamlit as st

from components import disclosure, locate
from components.result_list import result_list
from components.shell import current_language, fragment, require_shell
from directory import filters, geo, map_groups, maps, markers, schedule
from directory.filters import FILTERS, GROUPS, PREFIX
from directory.query import PAGE_SIZE, describe_in, page_count, page_number, searched
from directory.referrals import MAX_ITEMS
from directory.search import MEETINGS_ENOUGH, PARAM_KEYS, SORTS, Query, search
from directory.words import language, md, md_link, t, vocab

require_shell()
lang = language()  # widgets' format functions bind it: Streamlit may call them outside this run

PANEL_KEYS = (*(PREFIX + f.name for f in FILTERS), "f_text", "f_sort")  # the filter panel's widgets
state = st.session_state


def seed(params: dict) -> None:
    """Widgets take their values from a URL (first visit, a pasted link, or coming back to the page)."""
    query, state["_find_notes"] = Query.from_params({k: v for k, v in params.items() if k in PARAM_KEYS})
    state.update(filters.widget_state(query))
    state["f_view"] = "map" if params.get("view") == "map" else "list"
    state["f_page"] = page_number(params.get("page", ""))


def add(resource_id: str, on_map: bool = False) -> None:
    if state["referral_list"].add(resource_id):
        st.toast(t("card.added_toast", current_language()))
        # A card under the map reruns the map only (a fragment): the whole page follows, for the sidebar.
        state["_map_added"] = on_map


def add_all(query, now: datetime) -> None:
    """Every result of this search (up to the list's room, MAX_ITEMS in all) onto the referral list."""
    picked = state["referral_list"]
    room = MAX_ITEMS - len(picked)
    everything = search(
        state["search_index"], query, now=now, geocoder=state.get("geocoder"), limit=room + len(picked)
    )
    added = sum(picked.add(x.resource.id) for x in everything.results)
    st.toast(t("find.added_all", current_language(), count=added))


def card(result, now: datetime, where: str) -> None:
    """One result: its words in one markdown block and its two actions, four elements in all (a results
    page draws twenty or more, and every element is a message the browser waits for)."""
    text, rid = filters.card_text(result, now), result.resource.id
    with st.container(border=True, key=f"{where}_card_{rid}"):
        badges = " ".join(f":{colour}-badge[:material/warning: {badge}]" for badge, colour in text.badges)
        st.markdown(
            "  \n".join(x for x in (text.head, badges) if x) + f"\n\n{text.body}\n\n:small[{text.caption}]"
        )
        # Side by side under the words (static/app.css lays a card's elements out in a wrapping row).
        st.page_link(
            "pages/details.py", label=t("card.details"), icon=":material/info:", query_params={"id": rid}
        )
        listed = rid in state["referral_list"]
        label = t("card.added" if listed else "card.add")
        st.button(label, key=f"{where}_add_{rid}", on_click=add, args=(rid, where == "map"), disabled=listed)


def cards(results, now: datetime, where: str, label: str) -> None:
    """A group of result cards, drawn as one element (components/result_list.py)."""
    listed = lambda rid: rid in state["referral_list"]  # noqa: E731
    result_list(results, now, key=f"{where}_cards", listed=listed, on_add=add, label=label)


def more_meetings(found, now: datetime) -> None:
    """Fewer than five confirmed meetings: the unconfirmed ones inline, online ones, each fellowship's finder."""
    if found.unconfirmed_meetings:
        st.subheader(t("meetings.unconfirmed_title"))
        st.caption(t("meetings.unconfirmed_intro", count=MEETINGS_ENOUGH))
        cards(found.unconfirmed_meetings, now, "unconfirmed", t("meetings.unconfirmed_title"))
    if found.online_meetings:
        st.subheader(t("meetings.online_title"))
        cards(found.online_meetings, now, "online", t("meetings.online_title"))
    if found.meeting_finders:
        place = found.place.label if found.place else t("meetings.no_place")
        st.subheader(t("meetings.finders_title", place=md(place)))
        links = [
            md_link(f"{f.fellowship}: {f.name}" if f.fellowship else f.name, f.url)
            for f in found.meeting_finders
        ]
        st.markdown(t("meetings.finders_intro") + "  \n" + "  \n".join(links))


def draw(item, facets) -> None:
    key, label = PREFIX + item.name, filters.title(item.name)
    if item.widget in ("toggle", "checkbox"):
        getattr(st, item.widget)(label, key=key)
        return
    options = filters.choices(item, facets, state.get(key))
    extra = {"selection_mode": "multi"} if item.widget == "pills" else {}
    getattr(st, item.widget)(
        label, options, format_func=filters.label_func(item.name, lang), key=key, **extra
    )
    if counts := filters.counts_text(item, facets, state.get(key)):
        st.caption(counts)


def filter_panel(facets, query) -> None:
    """Every filter, in its tab, with the free text, the sort and "Clear filters"."""
    draw(FILTERS[0], facets)
    for group, tab in zip(GROUPS, st.tabs([t(f"find.group_{g}") for g in GROUPS])):
        with tab:
            for item in (f for f in FILTERS if f.group == group):
                draw(item, facets)
    c_text, c_sort, c_clear = st.columns([3, 2, 1], vertical_alignment="bottom")
    c_text.text_input(t("find.text"), key="f_text", help=t("find.text_help"), max_chars=200)
    c_sort.selectbox(
        t("find.sort"), SORTS, key="f_sort", format_func=lambda s, lang=lang: t(f"sort.{s}", lang)
    )
    c_clear.button(
        t("find.clear"),
        on_click=lambda: state.update(filters.cleared(query)),
        icon=":material/filter_alt_off:",
    )


def keep_panel_values() -> None:
    """The filter panel's values given again through the session state, so that they stay while its widgets
    are not drawn (Streamlit forgets a widget's value at the end of a run that did not draw it)."""
    for key in PANEL_KEYS:
        if key in state:
            state[key] = state[key]


params = searched(st.query_params.to_dict())
last = state.get("_find_url")
if not params and last and "f_place" not in state:  # back from another page: the last search again
    params = last
if params != last or "f_place" not in state:
    seed(params)

st.title(t("find.title"))
st.caption(t("find.intro"))
c_place, c_radius, c_locate = st.container(key="find_place_row").columns(
    [3, 2, 1.4], vertical_alignment="bottom"
)
with c_locate:
    spot = locate(t("find.locate"), key="geolocate")
if isinstance(spot, dict) and spot.get("ts") != state.get("_geo_ts"):
    state["_geo_ts"] = spot.get("ts")
    if isinstance(spot.get("lat"), (int, float)) and isinstance(spot.get("lon"), (int, float)):
        # About 100 m: close enough to search, and the URL does not carry an exact home position.
        state.update(f_latitude=round(spot["lat"], 3), f_longitude=round(spot["lon"], 3), f_place="")
    else:
        state["_geo_problem"] = (
            "find.locate_denied" if spot.get("error") == "denied" else "find.locate_failed"
        )
place_label = t("find.place_online" if state["settings"].online_geocoding else "find.place")
c_place.text_input(
    place_label,
    key="f_place",
    help=t("find.place_help"),
    max_chars=300,
    on_change=lambda: state.update(f_latitude=None, f_longitude=None),
)
radii = sorted(set(filters.RADII) | {state["f_radius"]})
c_radius.selectbox(
    t("find.radius"),
    radii,
    key="f_radius",
    format_func=lambda v, lang=lang: t("find.miles", lang, miles=f"{v:g}"),
)
if problem := state.pop("_geo_problem", None):
    st.info(t(problem))
elif state["f_latitude"] is not None and not state["f_place"]:
    st.caption(t("find.located"))

now = datetime.now(schedule.TZ)
query = filters.query_from_state(state)
if state.get("_find_query") not in (None, query) and params == last:
    state["f_page"] = 1  # a new search starts on its first page
state["_find_query"] = query
page, as_map = max(1, state["f_page"]), state.get("f_view") == "map"
state["_map_live"] = False  # until this run draws the map (see result_map)
# The map draws from the index's arrays (directory.markers): no page of full records is built for it.
offset, limit = (0, 0) if as_map else ((page - 1) * PAGE_SIZE, PAGE_SIZE)
found = search(
    state["search_index"], query, now=now, geocoder=state.get("geocoder"), offset=offset, limit=limit
)
if limit and found.total and offset >= found.total:  # ?page=999: the last page there is
    page = page_count(found.total)
    state["f_page"], offset = page, (page - 1) * PAGE_SIZE
    found = search(
        state["search_index"], query, now=now, geocoder=state.get("geocoder"), offset=offset, limit=limit
    )
state["last_place"] = found.place  # the Referral list measures distances from it

# One control holds every filter, so that on a phone the results start on the first screen. Its filters are
# drawn only while it is open (most visits never open it: a first load without them is about 45 elements
# lighter); their values stay in the session meanwhile.
with st.expander(t("find.filters", count=filters.active_count(query)), key="find_filters"):
    if disclosure.expanded("find_filters_open"):
        filter_panel(found.facets, query)
    else:
        st.caption(t("find.filters_loading"))
        keep_panel_values()  # an undrawn widget's value would be dropped at the end of this run

new_params = filters.page_params(query, as_map=as_map, page=page)
url = st.query_params.to_dict()
if new_params != searched(url):
    st.query_params.from_dict(new_params | {k: v for k, v in url.items() if k not in searched(url)})
state["_find_url"] = new_params

for note in state.pop("_find_notes", []):
    st.info(note)
if found.message:
    # directory/geo.py words its two messages in English; the page says them in the screen's language.
    if found.message.startswith("We couldn't find"):
        st.warning(t("find.place_not_found", place=md(geo.PlaceNotFound(query.place).text)))
    elif found.message.startswith("Address search is unavailable"):
        st.warning(t("find.geocoding_unavailable"))
    else:
        st.warning(md(found.message))
    if suggestions := geo.city_suggestions(query.place):
        st.markdown(t("find.did_you_mean"))
        for n, name in enumerate(suggestions):
            st.button(name, key=f"suggest_{n}", on_click=lambda n=name: state.update(f_place=n))
    if (
        not state["settings"].online_geocoding
        and any(c.isdigit() for c in query.place)
        and " " in query.place
    ):
        st.info(t("find.address_hint"))
    st.stop()
count = t("find.count_one") if found.total == 1 else t("find.count", count=found.total)
elsewhere = found.place is not None and geo.place_state(found.place) not in ("IL", "", *geo.BORDER_STATES)
if elsewhere:
    # Only listings that serve anywhere match a place outside Illinois: never "within 10 miles" of it.
    st.warning(t("find.out_of_state", place=found.place.label, state=geo.place_state(found.place)))
    st.markdown(f"**{t('find.out_of_state_results')}** — {count}")
else:
    st.markdown(f"**{md(describe_in(query, found.place).strip())}** — {count}")
if found.total == 0:
    st.info(
        t("find.empty_unconfirmed", count=found.unconfirmed_matches)
        if found.unconfirmed_matches
        else t("find.empty")
    )
    for line in filters.relaxed_lines(found.relaxed):  # what one filter fewer would find
        st.markdown(line)
    wider = next((r for r in filters.RADII if r > query.radius), None)
    if wider and (query.place or query.has_location):
        st.button(t("find.empty_widen", miles=f"{wider:g}"), on_click=lambda: state.update(f_radius=wider))
    more_meetings(found, now)
    st.stop()
st.radio(t("find.view"), ["list", "map"], key="f_view", format_func=lambda v, lang=lang: t(f"view.{v}", lang), horizontal=True,
         label_visibility="collapsed")  # fmt: skip

if not as_map:
    cards(found.results, now, "list", t("find.results_label"))
    more_meetings(found, now)
    # Under the cards: on a phone the first result stays on the first screen.
    room = MAX_ITEMS - len(state["referral_list"])
    if found.total > 1 and room > 0:
        st.button(
            t("find.add_all", count=min(found.total, room)),
            on_click=add_all,
            args=(query, now),
            icon=":material/playlist_add:",
            help=t("find.add_all_help", limit=MAX_ITEMS),
        )
    pages = page_count(found.total)
    if pages > 1:
        prev, middle, after = st.columns([1, 2, 1], vertical_alignment="center")
        prev.button(t("find.prev"), disabled=page <= 1, on_click=lambda: state.update(f_page=page - 1))
        middle.markdown(t("find.page", page=page, pages=pages))
        after.button(t("find.next"), disabled=page >= pages, on_click=lambda: state.update(f_page=page + 1))


def map_view(fit) -> tuple[tuple[float, float, float, float] | None, float | None]:
    """The (south, west, north, east) and zoom the visitor has panned or zoomed the map to; (None, None)
    until the map has reported a view of this search.

    The map reports its view after every move; a new search (a new fitted view) makes the view it
    reported before stale until it reports the new one.
    """
    seen = state.get("find_map") or {}
    view = (seen.get("bounds") or {}, seen.get("zoom"))
    if state.get("_map_fit") != fit:
        state["_map_fit"], state["_map_stale"] = fit, view
        return None, None
    if not view[0] or view == state.get("_map_stale"):
        return None, None
    try:
        sw, ne = view[0]["_southWest"], view[0]["_northEast"]
        bounds = float(sw["lat"]), float(sw["lng"]), float(ne["lat"]), float(ne["lng"])
        return bounds, float(view[1]) if isinstance(view[1], (int, float)) else None
    except (KeyError, TypeError, ValueError):
        return None, None


@fragment
def result_map(query, place, total: int, now: datetime) -> None:
    """The map of the results: markers from the index's arrays, remote listings left off; above the cap
    the groups counted on the server and the zoom-in note. Panning and zooming rerun this part only."""
    if not state.get("_map_live"):
        return  # a late report from a map this page no longer shows (the view or the search changed since)
    if state.get("f_view") != "map" or filters.query_from_state(state) != state.get("_find_query"):
        # A choice made outside the map ("List", a filter) reached the server inside the map's own rerun, and
        # the browser sends no whole-page rerun after it: the whole page follows now.
        st.rerun(scope="app")
    import folium  # only the map view draws with them: the list view does not wait for their import
    from streamlit_folium import st_folium

    index = state["search_index"]
    located = markers.query_rows(index, query, place=place, now=now)
    radius = query.radius if place else None
    origin = (place.latitude, place.longitude, t("find.your_search")) if place else None
    center, zoom = maps.fit_view(
        markers.extent(index, located), place=origin and origin[:2], radius_miles=radius
    )
    bounds, seen_zoom = map_view((query, center, zoom))
    if len(located) <= markers.MAP_CAP:
        bounds = seen_zoom = None  # every result is drawn already: a pan or zoom changes nothing drawn
    kind_names = {k: vocab("category", k) for k in maps.KIND_COLOURS}
    # The map reports every move and reruns this part; the same view of the same search (this minute, in
    # this language, on this index) reuses what it drew.
    view = (id(index), query, bounds, seen_zoom, f"{now:%Y-%m-%d %H:%M}", t("card.details"))
    if (state.get("_map_drawn") or (None,))[0] == view:
        drawn, points = state["_map_drawn"][1:]
    else:
        drawn = markers.markers(index, query, now=now, bounds=bounds, rows=located,
                                zoom=zoom if seen_zoom is None else seen_zoom)  # fmt: skip
        points = []
        if not drawn.clustered:
            texts = markers.popups(index, drawn.rows, now)
            points = maps.marker_points(drawn.ids, drawn.latitude, drawn.longitude, drawn.kind, texts,
                                        kind_names=kind_names, details_label=t("card.details"))  # fmt: skip
        state["_map_drawn"] = (view, drawn, points)
    layers = []
    if drawn.clustered:
        groups = drawn.clusters
        layers = [map_groups.cluster_layer(groups.latitude, groups.longitude, groups.count,
                                           name=t("map.groups_layer"), title=t("map.group_title"))]  # fmt: skip
    layers += maps.result_layers(points, kind_names=kind_names, place=origin, radius_miles=radius)
    settings = state["settings"]
    base = maps.base_map(
        tiles=settings.map_tiles, tile_url=settings.tile_url, tile_attribution=settings.tile_attribution
    )
    out = st_folium(base, key="find_map", height=520, use_container_width=True, feature_group_to_add=layers,
                    center=center, zoom=zoom, returned_objects=["last_object_clicked", "bounds", "zoom"],
                    layer_control=folium.LayerControl(collapsed=False))  # fmt: skip
    if drawn.clustered:
        st.info(markers.zoom_note(drawn))
    else:
        shown = [k for k in maps.KIND_COLOURS if k in set(drawn.kind)]
        legend = " ".join(f":{maps.KIND_COLOURS[k][1]}[●] {kind_names[k]}" for k in shown)
        st.markdown(f"{t('find.legend')} {legend}")
    if total > len(located):
        st.caption(t("find.no_map_place", count=total - len(located)))
    clicked = (out or {}).get("last_object_clicked")
    chosen = maps.ids_at(points, clicked["lat"], clicked["lng"]) if clicked else []
    if chosen:
        st.subheader(t("find.selected"))
        row_of = dict(zip(drawn.ids, drawn.rows.tolist()))
        for result in markers.selected(index, [row_of[r] for r in chosen[:10]], place=place, now=now):
            card(result, now, "map")
    elif not drawn.clustered:  # groups say themselves what a tap does (zoom in)
        st.caption(t("find.map_hint"))
    if state.pop("_map_added", False):
        st.rerun()  # the whole page: the sidebar counts the referral list


# Only the map view draws the map; the list view ends without st.stop(), so Streamlit forgets the fragment.
if as_map:
    state["_map_live"] = True
    result_map(query, found.place, found.total, now)
