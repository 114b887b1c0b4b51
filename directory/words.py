"""Every sentence the app shows, looked up by key: `t("find.title")`, `t("find.title", lang="es")`.

`ENGLISH` below is the source of every sentence. Other languages live in gettext catalogs
(`directory/locales/<lang>/LC_MESSAGES/messages.po`, see README "Translations"), read through
`directory/translation.py`. The language is the `lang` argument when given (renderers always give it),
else the one the running page set with `using(lang)` / `set_language(lang)`, else English.

Also the few functions that turn a record into the plain words of a result card (kind, when it meets,
where it is) and escape catalog text for Streamlit markdown, where it is untrusted.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from directory import dates, translation
from directory.render.legend import MEETING_TYPES
from directory.schema import VOCABULARY_FIELDS, Resource, Slot, label
from directory.translation import LANGUAGES, language, set_language, using

__all__ = ["ENGLISH", "LANGUAGES", "t", "count_words", "vocab", "language", "set_language", "using"]

log = logging.getLogger(__name__)

ENGLISH: dict[str, str] = {
    # app and sidebar
    "app.title": "Illinois Aftercare Directory",
    "app.error": (
        "Something went wrong on this page. Nothing you entered was saved. Please try again, or use the "
        "crisis lines in the sidebar if you need help now."
    ),
    "app.no_catalog": (
        "The directory has no data yet. Whoever runs this app can build it with `make build-catalog` "
        "(or set AFTERCARE_CATALOG to a catalog file)."
    ),
    "app.bad_catalog": "The directory data could not be opened: {problem}",
    "nav.find": "Find resources",
    "nav.details": "Resource details",
    "nav.list": "Referral list",
    "nav.plan": "Care plan",
    "nav.catalog": "Catalog",
    "nav.about": "About the data",
    "crisis.title": "Need help now?",
    "crisis.988": "988 Suicide & Crisis Lifeline (24/7)",
    "crisis.illinois": "Illinois Helpline for Opioids & Other Substances",
    "crisis.samhsa": "SAMHSA National Helpline (free, 24/7)",
    "crisis.911": "In an emergency, call [911](tel:911).",
    "sidebar.list_count": "Referral list ({count})",
    "settings.title": "Internet use",
    "settings.offline_note": "The app works without the internet. These switches are for this visit only.",
    "settings.geocoding": "Search street addresses online",
    "settings.geocoding_help": "Sends the address you type to OpenStreetMap to find it. ZIP codes and cities work without it.",
    "settings.tiles": "Show street map",
    "settings.tiles_help": "Loads map pictures from the internet. Without it the map shows only the Illinois outline.",
    # find page
    "find.title": "Find recovery support near you",
    "find.intro": "Meetings, recovery housing, treatment and help lines in Illinois. Nothing you search is stored.",
    "find.place": "ZIP code or city",
    "find.place_online": "ZIP code, city or street address",
    "find.place_help": "For example a 5-digit ZIP code, or a city name.",
    "find.radius": "How far (miles)",
    "find.locate": "Use my location",
    "find.located": "Using your location.",
    "find.locate_denied": (
        "Your browser did not share your location. You can allow it in the browser's settings, or type a "
        "ZIP code or city instead."
    ),
    "find.locate_failed": "Your location could not be found just now. Type a ZIP code or city instead.",
    "find.categories": "What are you looking for?",
    "find.text": "Name or word",
    "find.text_help": "Part of a name, an organization or a city.",
    "find.sort": "Sort by",
    "sort.distance": "Nearest first",
    "sort.next": "Meeting soonest",
    "sort.name": "Name (A–Z)",
    "sort.verified": "Recently checked",
    "find.more_filters": "More filters",
    "find.group_when": "When",
    "find.group_how": "Type of meeting or place",
    "find.group_who": "Who it is for",
    "find.group_cost": "Cost and medication",
    "find.group_listing": "Which listings",
    "find.weekdays": "Days",
    "find.times_of_day": "Time of day",
    "find.in_progress": "Happening now",
    "find.starting_within": "Starting within",
    "find.soon_any": "Any time",
    "find.soon_hours": "{hours} hours",
    "find.formats": "How people attend",
    "find.fellowships": "Fellowship or program",
    "find.subcategories": "Kind of place or service",
    "find.populations": "Groups for",
    "find.languages": "Language",
    "find.payment": "Payment accepted",
    "find.moud_services": "Medication offered (MOUD)",
    "find.mat_friendly": "Welcomes people on medication for opioid use disorder",
    "find.wheelchair": "Wheelchair accessible",
    "find.verified_within_months": "Checked within",
    "find.verified_any": "Any date",
    "find.verified_months": "{months} months",
    "find.unconfirmed": "Include unconfirmed listings",
    "find.inactive": "Include closed listings",
    "find.clear": "Clear filters",
    "find.count": "{count} results",
    "find.count_one": "1 result",
    "find.view": "Show results as",
    "view.list": "List",
    "view.map": "Map",
    "find.empty": (
        "Nothing matches this search. Try a larger distance, or clear a filter — for example the day or time."
    ),
    "find.empty_widen": "Search up to {miles} miles",
    "find.page": "Page {page} of {pages}",
    "find.prev": "Previous page",
    "find.next": "Next page",
    "find.link_notes": "Some parts of the link were not used:",
    "find.no_map_place": "{count} results have no place on the map (online, by phone or statewide); see the list.",
    "find.map_hint": "Tap a marker to see that listing below the map.",
    "find.selected": "Selected on the map",
    "find.legend": "Colours on the map:",
    "find.your_search": "Your search",
    # result card
    "card.distance": "{distance}",
    "card.next": "Next: {when}",
    "card.hours": "Hours: {hours}",
    "card.meets": "Meets: {schedule}",
    "card.call": "Call {phone}",
    "card.text": "Text {number}",
    "next.findtreatment_place": "No phone listed: look up its current number on FindTreatment.gov (search {place})",
    "next.findtreatment": "No phone listed: look up its current number on FindTreatment.gov",
    "next.website": "No phone listed: see its website for how to reach it",
    "next.source": "No phone listed: check the source page for a current number",
    "card.text_word": "Text {keyword} to {number}",
    "card.website": "Website",
    "card.directions": "Directions",
    "card.join": "Join online",
    "card.details": "Details",
    "card.add": "Add to referral list",
    "card.added": "On your list ✓",
    "card.added_toast": "Added to your referral list.",
    "card.unconfirmed": "Unconfirmed — call ahead",
    "card.closed": "Temporarily closed",
    "card.inactive": "No longer listed by its source",
    "card.source": "Source: {source}, as of {as_of}",
    "when.today": "today {time}",
    "when.tomorrow": "tomorrow {time}",
    "when.weekday": "{day} {time}",
    "when.now": "happening now (started {time})",
    # field names on the details page
    "field.organization": "Organization",
    "field.format": "How people attend",
    "field.coverage": "Serves",
    "field.fellowship": "Fellowship or program",
    "field.meeting_types": "Meeting types",
    "field.services": "Services",
    "field.populations": "Groups for",
    "field.languages": "Languages",
    "field.accessibility": "Accessibility",
    "field.payment": "Payment accepted",
    "field.cost": "Cost",
    "field.moud_services": "Medication offered (MOUD)",
    "field.mat_friendly": "Welcomes people on MOUD",
    "field.license": "Licence or certification",
    "field.hours": "Hours",
    "field.status": "Status",
    "field.notes": "Notes",
    "field.email": "E-mail",
    "field.conference_phone": "Dial-in phone",
    "field.label": "About",
    "field.value": "What we know",
    # details page
    "details.title": "Resource details",
    "details.missing": "No listing was chosen. Find one on the Find resources page.",
    "details.unknown": "This listing is not in the directory (it may have been removed).",
    "details.back": "Back to search",
    "details.about": "About",
    "details.where": "Where",
    "details.contact": "Contact",
    "details.schedule": "Weekly schedule (Central Time)",
    "details.day": "Day",
    "details.start": "Starts",
    "details.end": "Ends",
    "details.facts": "Details",
    "details.provenance": "Where this information comes from",
    "details.source": "Source",
    "details.source_link": "Source page",
    "details.as_of": "As of",
    "details.verification": "Checked",
    "details.precision": "Map position",
    "details.housing_note": (
        "Illinois law asks directories to show whether a recovery residence is licensed or certified. "
        "Listing a residence that is not licensed is not an endorsement."
    ),
    "details.report": "Report a problem with this listing",
    "details.report_intro": (
        "Tell us what is wrong (a wrong phone number, a closed meeting…). Please do not write anything "
        "about yourself or a patient."
    ),
    "details.report_problem": "What is wrong?",
    "details.report_contact": "Your e-mail or phone, if we may ask you about it (optional)",
    "details.report_send": "Send report",
    "details.report_thanks": "Thank you. The report was saved for the people who keep the directory.",
    "details.report_empty": "Say what is wrong before sending.",
    "details.report_limit": "You have sent {count} reports in this visit, which is the most we accept. Thank you.",
    # referral list page
    "list.title": "Referral list",
    "list.intro": "The listings you picked. The list is kept only in this browser tab and is gone when you close it.",
    "list.empty": "Your list is empty. Add listings from the Find resources page.",
    "list.up": "Up",
    "list.down": "Down",
    "list.remove": "Remove",
    "list.note": "Note for {name}",
    "list.note_help": "Shown on printouts. Do not write diagnoses.",
    "list.removed": "Removed from your list.",
    "list.missing": "{count} listings on this list are no longer in the directory and were left out.",
    "list.exports": "Save or print",
    "list.exports_missing": "Saving and printing are not available yet.",
    "list.export_failed": "This file could not be made: {problem}",
    "export.csv": "Spreadsheet (CSV)",
    "export.xlsx": "Excel",
    "export.pdf": "PDF to print",
    "export.html": "Print view (web page)",
    "export.ics": "Calendar of meetings",
    "list.share": "Share this list",
    "list.share_help": "This link holds only the listings, not your notes.",
    "list.loaded": "Loaded {count} listings from the link.",
    # care plan page
    "plan.title": "Care plan",
    "plan.intro": (
        "This draft lives only in this browser tab until you download it: nothing is saved on the server, "
        "and closing or reloading the tab loses it. Use “Download plan file” to keep it, and “Open plan "
        "file” to continue later."
    ),
    "plan.open": "Open plan file",
    "plan.opened": "Opened {name}. The referral list now holds the plan's {count} resources.",
    "plan.file_error": "{name}: {problem}",
    "plan.no_catalog": "The catalog is not available, so the plan prints without its resources.",
    "plan.switch": "Print “{title}”",
    "plan.no_home": "(none)",
    "plan.crisis_note": (
        "Crisis lines always print: 911, 988, the Illinois Helpline and SAMHSA's National Helpline, "
        "and the crisis lines in the catalog."
    ),
    "plan.closing": "Consent note, signatures and sources",
    "plan.save": "Save and print",
    "plan.download_file": "Download plan file",
    "plan.paper": "Paper",
    "plan.paper_letter": "US Letter",
    "plan.paper_a4": "A4",
    "plan.make": "Make printouts (PDF, print page, 30-day calendar)",
    "plan.download_pdf": "Download PDF",
    "plan.download_html": "Download print page",
    "plan.download_ics": "Download calendar",
    "plan.stale": "The plan changed since the printouts were made: make them again.",
    # catalog page
    "catalog.title": "The catalog",
    "catalog.total": "{count} listings in the directory, {located} of them on the map.",
    "catalog.by_kind": "Listings by kind",
    "catalog.by_source": "Listings by source",
    "catalog.by_verification": "Confirmed or not",
    "catalog.by_status": "Open or closed",
    "catalog.kinds_by_county": "Kinds of listing in the 15 counties with the most listings",
    "catalog.age": "How old the information is",
    "catalog.reports": "Latest imports and refreshes",
    "catalog.no_reports": "No imports have been recorded yet.",
    "catalog.count": "Listings",
    "catalog.value": "Value",
    "catalog.curation": "For curators",
    "catalog.curation_off": (
        "Curation is switched off: no curator password is set. To switch it on, make a password hash with "
        "`python -m directory.curation` and set it as the environment variable "
        "AFTERCARE_CURATOR_PASSWORD_HASH (or `curator_password_hash` in .streamlit/secrets.toml), then restart."
    ),
    "catalog.password": "Curator password",
    "catalog.sign_in": "Sign in",
    "catalog.sign_out": "Sign out",
    "catalog.wrong_password": "That password is not right.",
    "catalog.locked": "Too many wrong passwords in this visit. Reload the page to try again later.",
    "catalog.signed_in": "Signed in as curator.",
    "catalog.corrections": "Correction requests",
    "catalog.no_corrections": "No open correction requests.",
    "catalog.correction": "**{resource}** — filed {created}",
    "catalog.contact": "Contact: {contact}",
    "catalog.resolve": "Resolved",
    "catalog.dismiss": "Dismiss",
    "catalog.import": "Import a file",
    "catalog.import_format": "File format",
    "catalog.import_file": "File",
    "catalog.import_preview": "Check the file",
    "catalog.import_apply": "Apply these changes",
    "catalog.import_nothing": "Nothing to apply.",
    "catalog.import_applied": "Applied: {summary}",
    "catalog.import_failed": "The file could not be read: {problem}",
    "catalog.import_rejected": "Rows that were not taken",
    "catalog.import_changes": "What would change",
    # catalog page: import and refresh reports, live feeds (issue 5)
    "catalog.reports_intro": "What the latest imports and feed refreshes found and did, newest first.",
    "catalog.kind_import": "File import",
    "catalog.kind_refresh": "Feed refresh",
    "catalog.status_applied": "Applied",
    "catalog.status_refused": "Not applied",
    "catalog.status_dry_run": "Checked only: nothing written",
    "catalog.status_not_modified": "No change at the source",
    "catalog.status_failed": "Failed",
    "catalog.report_counts": (
        "{added} added · {changed} changed · {inactive} no longer listed · {unchanged} unchanged · "
        "rows not taken: {rejected}"
    ),
    "catalog.report_details": "Details: changes field by field, listings gone, rows not taken",
    "catalog.changes_title": "Changes, field by field",
    "catalog.gone_applied": "No longer listed by the source: marked inactive (kept, never deleted)",
    "catalog.gone_pending": "No longer listed by the source: would be marked inactive (kept, never deleted)",
    "catalog.col_id": "Listing id",
    "catalog.col_field": "Field",
    "catalog.col_before": "Before",
    "catalog.col_after": "After",
    "catalog.col_problem": "Problem",
    "catalog.rejected_all": "All rows that were not taken",
    "catalog.refresh": "Refresh from the live feeds",
    "catalog.refresh_intro": (
        "The feeds in the sources file. “Check for changes” fetches one feed and shows what would change; "
        "nothing is written until you press Apply."
    ),
    "catalog.sources_failed": "The list of feeds could not be read: {problem}",
    "catalog.col_feed": "Feed",
    "catalog.col_format": "Format",
    "catalog.col_enabled": "Switched on",
    "catalog.col_unverified": "Address unverified",
    "catalog.col_every": "Refresh every (days)",
    "catalog.col_last": "Last refresh",
    "catalog.col_outcome": "Outcome",
    "catalog.live_switch": "Allow this visit to fetch the live feeds",
    "catalog.live_switch_help": (
        "Lets this server request the feed addresses listed above. Off unless you switch it on here, or "
        "the app runs with AFTERCARE_ONLINE=1."
    ),
    "catalog.live_off": (
        "Refreshing needs the internet, and this app uses it only when asked. Switch on “Allow this visit "
        "to fetch the live feeds” to check a feed."
    ),
    "catalog.no_enabled": "No feed is switched on in the sources file, so there is nothing to check.",
    "catalog.feed_pick": "Feed to check",
    "catalog.check": "Check for changes",
    "catalog.apply": "Apply",
    "catalog.apply_anyway": "Apply anyway",
    "catalog.force_warning": (
        "Careful: this feed no longer lists more than half of the listings it had. That usually means "
        "the feed is broken, not that the places closed. Apply anyway only if you know the change is "
        "real: the missing listings will be marked inactive (kept, and a later refresh can bring them back)."
    ),
    "catalog.force_confirm": "I understand: mark the missing listings inactive",
    "catalog.check_failed": "{name} could not be checked: {problem} The catalog was not changed.",
    "catalog.no_network": "No network: {problem} The catalog was not changed.",
    "catalog.not_modified": "{name} has not changed since the last refresh. Nothing to apply.",
    "catalog.refresh_nothing": "{name} matches the catalog. Nothing to apply.",
    "catalog.refresh_done": "Done: {summary}",
    "catalog.progress_fetching": "Fetching {name}…",
    "catalog.progress_reading": "Reading {name}…",
    "catalog.progress_comparing": "Comparing {name} with the catalog…",
    "catalog.progress_applying": "Saving {name} in the catalog…",
    "catalog.progress_file_reading": "Reading {name}…",
    "catalog.progress_file_comparing": "Checking {count} listings from {name}…",
    "catalog.progress_file_applying": "Importing {count} listings from {name}…",
    "catalog.progress_done": "Done.",
    # about page
    "about.title": "About the data",
    "about.unconfirmed_title": "What “unconfirmed” means",
    "about.unconfirmed": (
        "A listing marked **unconfirmed** comes from a source that has not confirmed it recently, or was "
        "added from a secondary list. Details may be out of date. Please call ahead before you go. "
        "Unconfirmed listings are hidden unless you choose to include them."
    ),
    "about.as_of": (
        "Every listing shows its **source** and an **as-of date**: the day the source says the information "
        "was true, or the day we copied it."
    ),
    "about.privacy_title": "Privacy",
    "about.privacy": (
        "The app stores nothing about the people who use it. Your searches, referral list and notes stay in "
        "this browser tab. Problem reports about a listing are the only thing saved, and they are about "
        "the listing."
    ),
    "about.sources_missing": "The list of data sources (data/SOURCES.md) is not available.",
    "about.map_credits": "Map software and outline",
    "about.geonames": "ZIP code and city locations: GeoNames (CC BY 4.0), through the `zipcodes` package.",
    # --- issue 13: language switch, plural forms, labels of the open vocabularies ---
    "lang.label": "Language",
    "lang.help": "The language of the screens. Printouts can use another one.",
    "lang.print": "Language of the printout",
    "list.loaded_one": "Loaded 1 listing from the link.",
    "list.missing_one": "1 listing on this list is no longer in the directory and was left out.",
    "find.no_map_place_one": "1 result has no place on the map (online, by phone or statewide); see the list.",
    "find.soon_hours_one": "1 hour",
    "times_of_day.morning": "Morning",
    "times_of_day.afternoon": "Afternoon",
    "times_of_day.evening": "Evening",
    "times_of_day.night": "Night",
    # kinds of place the sources name (subcategory values); the English is the value as cards show it
    "subcategory.substance_use_treatment": "substance use treatment",
    "subcategory.mental_health": "mental health",
    "subcategory.moud_provider": "moud provider",
    "subcategory.opioid_treatment_program": "opioid treatment program",
    "subcategory.meeting": "meeting",
    "subcategory.sober_living": "sober living",
    "subcategory.meeting_venue": "meeting venue",
    "subcategory.provider_recovery_home": "provider recovery home",
    "subcategory.fellowship_service_office": "fellowship service office",
    "subcategory.oxford_house": "oxford house",
    "subcategory.family_support": "family support",
    "subcategory.recovery_home": "recovery home",
    "subcategory.naloxone": "naloxone",
    "subcategory.mutual_aid_secular": "mutual aid secular",
    "subcategory.warm_line": "warm line",
    "subcategory.veterans_health": "veterans health",
    "subcategory.twelve_step": "twelve step",
    "subcategory.treatment_referral": "treatment referral",
    "subcategory.treatment_locator": "treatment locator",
    "subcategory.transitional_housing": "transitional housing",
    "subcategory.substance_use_helpline": "substance use helpline",
    "subcategory.licensed_recovery_home": "licensed recovery home",
    "subcategory.information_referral": "information referral",
    "subcategory.harm_reduction": "harm reduction",
    "subcategory.crisis": "crisis",
    "subcategory.veterans": "veterans",
    "subcategory.text_support": "text support",
    "subcategory.state_association": "state association",
    "subcategory.state_agency": "state agency",
    "subcategory.registry": "registry",
    "subcategory.peer_group": "peer group",
    "subcategory.oxford_house_network": "oxford house network",
    "subcategory.mutual_aid_buddhist": "mutual aid buddhist",
    "subcategory.hospital_linkage": "hospital linkage",
    "subcategory.health_coverage": "health coverage",
    "subcategory.halfway_house": "halfway house",
    "subcategory.faith_based": "faith based",
    "subcategory.domestic_violence": "domestic violence",
    "subcategory.crisis_text": "crisis text",
    "subcategory.crisis_hotline": "crisis hotline",
    # --- issue 9: age and certainty, kind of care, care-for, meetings a patient can find, coverage ---
    "age.confirmed": "Confirmed by {source}, {month}",
    "age.listing": "{source} listing from {year}, {age} old — not re-checked since; call ahead",
    "age.undated": "Undated, added {added} — call ahead",
    "age.future": "Dated {as_of}, in the future — check before going",
    "age.unconfirmed": "Not confirmed — check before going",
    "age.unconfirmed_added": "Not confirmed — check before going (undated, added {added})",
    "age.unconfirmed_year": "Not confirmed — check before going ({source} listing from {year})",
    "age.month": "1 month",
    "age.months": "{count} months",
    "age.year": "1 year",
    "age.years": "{count} years",
    "card.care": "Care: {kinds}",
    "card.source_only": "Source: {source}",
    "card.medications": "Medications: {medications}",
    "card.certainty": "{words}",
    "care_for.substance_use": "Substance use",
    "care_for.mental_health": "Mental health",
    "care_for.both": "Both",
    "find.care_for": "Care for",
    "find.empty_unconfirmed": (
        "No confirmed listing matches this search. Listings not confirmed recently match it ({count}): "
        "meetings among them are shown below; to see all, tick “Include unconfirmed listings” under Listing."
    ),
    "meetings.unconfirmed_title": "Not confirmed — check before going",
    "meetings.unconfirmed_intro": (
        "Fewer than {count} confirmed meetings match. These listings match too but have not been confirmed "
        "recently: call or check the group's own site before going."
    ),
    "meetings.online_title": "Online meetings you can join from anywhere",
    "meetings.finders_title": "Find more meetings near {place}",
    "meetings.finders_intro": "Each fellowship keeps its own, more complete meeting list:",
    "meetings.finder_link": "{name}",
    "meetings.no_place": "you",
    "plan.nearest_naloxone": "Nearest free naloxone: {name}, {where} ({distance})",
    "plan.nearest_disposal": "Nearest medicine take-back: {name}, {where} ({distance})",
    "plan.nearest_meeting": "Meeting nearby: {name} ({distance})",
    "plan.nearest_meeting_unconfirmed": "Meeting nearby, not confirmed — check before going: {name} ({distance})",
    "plan.pick_help": "Adds it to the referral list, so the plan can name it. Uses the place of your last search.",
    # --- issue 11: published feeds, export reports, PDF and print notes ---
    "hsds.organization_description": "Provides, as listed in the Illinois Aftercare Directory: {services}.",
    "hsds.term_description": "{field} is {value} (a field of the Illinois Aftercare Directory).",
    "hsds.term_description_free": "The record's {field} (a field of the Illinois Aftercare Directory).",
    "hsds.schedule_description": "Weekly on {day} at {time}, Central Time (America/Chicago).",
    "hsds.timezone_note": (
        "Times are Central Time as local clocks show them (America/Chicago: UTC-6 in winter, UTC-5 in "
        "summer); HSDS has one offset number, so `timezone` gives the winter one."
    ),
    "hsds.no_end": "The source gives no end time.",
    "report.address_left_out": (
        "{id}: address row left out (HSDS requires {missing}); the parts we have travel as attributes"
    ),
    "report.phone_left_out": (
        "{id}: phone '{phone}' left out of phones.csv ({problem}); it travels as an attribute"
    ),
    "report.no_end": "{id}: {count} schedule(s) without closes_at, because the source gives no end time",
    "feed.about_title": "Published feeds",
    "feed.about_body": (
        "The catalog's meetings as a Meeting Guide feed (for TSML UI and the Meeting Guide app), and the "
        "whole catalog as an Open Referral HSDS 3 data package. The Meeting Guide feed is also served by "
        "this app at {url}."
    ),
    "feed.download_meeting_guide": "Download the Meeting Guide feed (JSON)",
    "feed.download_hsds": "Download the HSDS 3 package (ZIP)",
    "print.accessible_note": (
        "This print view is the accessible version of the PDF: the same content in reading order, for "
        "screen readers, zooming and high contrast."
    ),
    "pdf.accessible_note": (
        "The accessible version of this document is its print view (HTML), which screen readers read in order."
    ),
    # --- issue 14: the PostgreSQL store and its schema versions ---
    "store.schema_older": (
        "the catalog database {where} has schema version {have}, this app needs {need}: run `{command}`"
    ),
    "store.schema_newer": (
        "the catalog database {where} has schema version {have}, newer than this app's {need}: "
        "update the app before starting it"
    ),
    # --- issue 12: hardening ---
    "catalog.locked_server": (
        "Too many wrong passwords: signing in is paused for 15 minutes. Ask the person who set up the "
        "app if you have lost the password."
    ),
    "catalog.busy": "The catalog is busy saving changes; try again in a moment.",
    # --- issue 15: a map that scales ---
    "map.zoom_in": "{count} listings are in view, too many to draw one by one: they are shown as groups."
    " Zoom in to see every listing.",
    # --- issue 10: find, map and plan on a phone ---
    "find.counts": "In these results: {counts}",
    "crisis.bar_label": "Crisis lines",
    "find.filters": "Filters ({count})",
    "find.miles": "{miles} miles",
    "find.map_capped": (
        "The map shows the first {shown} of {count} results, in the order of the list. Zoom in on a place "
        "(a ZIP code and a shorter distance) or add a filter to see every listing."
    ),
    "find.did_you_mean": "Did you mean:",
    "find.address_hint": (
        "Street addresses are looked up online, which is switched off. To search one, turn on “Search street "
        "addresses online” under “Internet use” in the sidebar, or type the ZIP code or the city instead."
    ),
    "find.out_of_state": (
        "{place} is in {state}, outside Illinois. This directory covers Illinois and the places along its "
        "borders, so nothing here is near it. Shown below: help lines and online resources that serve "
        "anyone in Illinois. For {state}, call 988 or the SAMHSA National Helpline, 1-800-662-4357."
    ),
    "find.out_of_state_results": "Statewide, national and online help",
    "find.add_all": "Add all {count} results to the referral list",
    "find.add_all_help": "A referral list holds up to {limit} listings; ones already on it are kept once.",
    "find.added_all": "Added {count} listings to the referral list.",
    "plan.row_date": "{label}: date",
    "plan.row_time": "{label}: time",
    "plan.row_remove": "Remove this row",
    "plan.row_add": "Add a row to “{label}”",
    "catalog.corrections_waiting": (
        "{count} correction requests from visitors are stored and waiting. Nobody can read them until a curator "
        "password is set (above); they are kept until then."
    ),
    "plan.unsaved": "Changes not downloaded yet: use “Download plan file” to keep them.",
    "crisis.bar_988": "Call or text",
    "crisis.bar_illinois": "Illinois Helpline",
    "crisis.bar_911": "Emergency",
    # --- printouts, exports and calendar files in the patient's language ---
    "printout.call_ahead": "Call ahead to confirm: times, addresses and phone numbers change.",
    "printout.label_kind": "Kind",
    "printout.label_care": "Care",
    "printout.label_where": "Where",
    "printout.label_distance": "Distance",
    "printout.label_phone": "Phone",
    "printout.label_website": "Website",
    "printout.label_join": "Join",
    "printout.label_schedule": "Schedule",
    "printout.label_status": "Status",
    "printout.label_note": "Note",
    "printout.label_listing": "Listing",
    "printout.label_source": "Source",
    "printout.source_as_of": "{source}, as of {as_of}",
    "printout.source_added": "{source}, added {as_of}",
    "printout.no_name": "(no name given)",
    "printout.online": "Online",
    "printout.by_phone": "By phone",
    "printout.also_online": "{address} · also online",
    "printout.miles": "{miles} mi",
    "printout.miles_from": "{miles} mi from {origin}",
    "printout.join_by_phone": "by phone {phone}",
    "printout.call_large": "Call {phone}",
    "printout.meeting": "Meeting",
    "printout.qr_label": "QR code to {url}",
    "printout.page": "Page {page} of {pages}",
    "printout.legend_title": "Meeting codes used above",
    "printout.legend_source": "Source: {source}.",
    "printout.legend_source_name": "Meeting Guide type codes (Code for Recovery, types.json, MIT licence)",
    "printout.unknown_code": "not a Meeting Guide code: ask the group what it means",
    "printout.ics_join": "Join: {url}",
    "printout.ics_join_phone": "Join by phone: {phone}",
    "printout.ics_phone": "Phone: {phones}",
    "printout.ics_codes": "Codes: {codes}",
    "printout.ics_source": "Source: {source} ({url}), as of {as_of}.",
    "printout.ics_source_added": "Source: {source} ({url}), added {as_of}.",
    "printout.ics_list": "Referral list meetings",
    "printout.ics_first_days": "First {days} days",
    "printout.ics_appointment": "Appointment: {where}",
    "printout.ics_see_plan": "see plan",
    "printout.resources": "{count} resources",
    "printout.resources_one": "1 resource",
    "printout.summary": "{count}, made {date}.",
    "printout.made": "made {date}.",
    "printout.distances_from": "Distances from {origin}.",
    "printout.col_name": "Name",
    "printout.col_kind": "Kind",
    "printout.col_subcategory": "Subcategory",
    "printout.col_fellowship": "Fellowship",
    "printout.col_format": "Format",
    "printout.col_address": "Address",
    "printout.col_city": "City",
    "printout.col_state": "State",
    "printout.col_zip": "ZIP",
    "printout.col_phone": "Phone",
    "printout.col_website": "Website",
    "printout.col_join_link": "Join link",
    "printout.col_join_phone": "Join by phone",
    "printout.col_schedule": "Schedule",
    "printout.col_hours": "Hours",
    "printout.col_meeting_types": "Meeting types",
    "printout.col_distance": "Distance",
    "printout.col_note": "Note",
    "printout.col_status": "Status",
    "printout.col_verification": "Verification",
    "printout.col_source": "Source",
    "printout.col_source_url": "Source URL",
    "printout.col_as_of": "As of",
    "printout.col_id": "ID",
    "printout.col_county": "County",
    "printout.col_care": "Kind of care",
    "printout.col_moud": "Medications (MOUD)",
    "printout.col_payment": "Payment",
    "printout.sheet_title": "Referral list",
    "printout.plan_title": "Continuing-care plan",
    "printout.plan_for": "for {who}",
    "printout.crisis_banner": "Crisis? Call 988. Overdose or danger to life: call 911.",
    "printout.line_911": "Emergency (overdose, danger to life)",
    "printout.line_988": "988 Suicide & Crisis Lifeline",
    "printout.line_988_note": "mental health or substance use crisis, 24/7",
    "printout.line_illinois": "Illinois Helpline for Opioids and Other Substances",
    "printout.line_samhsa": "SAMHSA National Helpline",
    "printout.line_samhsa_note": "treatment referral and information",
    "printout.overdose_1": (
        "Your tolerance is lower now. After days or weeks without using, an amount you used to take can "
        "kill you."
    ),
    "printout.overdose_2": (
        "Never use alone. If you do use, have someone with you who has naloxone (Narcan) and knows how to"
        " use it."
    ),
    "printout.overdose_3": (
        "Fentanyl is in much of the street supply, including pills that look like prescriptions. You "
        "cannot see, smell or taste it."
    ),
    "printout.overdose_4": (
        "If someone will not wake up or is breathing slowly: call 911, give naloxone, and stay with them."
        " Illinois has a Good Samaritan overdose law that gives some protection from drug possession "
        "charges to people who call 911 for an overdose. Call."
    ),
    "printout.consent": (
        "This printout is the patient's own copy of their continuing-care plan. It lists the resources, "
        "appointments and contacts agreed on, and carries no diagnosis. Records of substance use "
        "treatment are protected by federal law (42 CFR Part 2): the program shares them with others only"
        " with the patient's written consent or as that law allows. The patient decides whom to show this"
        " copy to."
    ),
    "printout.not_endorsed": (
        "This residence shows no state licence or certification. Listing it is not an endorsement (as the"
        " Illinois recovery residence registry also says, 20 ILCS 301/55-40)."
    ),
    "printout.safety_1": "1. My warning signs",
    "printout.safety_2": "2. Things I can do on my own to cope",
    "printout.safety_3": "3. People and places that take my mind off things",
    "printout.safety_4": "4. People I can ask for help",
    "printout.safety_5": "5. Professionals I can call (and 988, any time)",
    "printout.safety_6": "6. Making my surroundings safe",
    "printout.patient": "Patient",
    "printout.clinician": "Clinician",
    "printout.signature_date": "Date",
    "printout.plan_date": "Plan date",
    "printout.transition_date": "Transition date",
    "printout.program": "Program leaving",
    "printout.level_leaving": "Level of care leaving",
    "printout.next_review": "Next review",
    "printout.asam_level": "ASAM level",
    "printout.why": "Why",
    "printout.no_appointments": "No appointments recorded yet.",
    "printout.appointment": "Appointment",
    "printout.medication": "Medication",
    "printout.naloxone_given": "Naloxone kit given",
    "printout.naloxone_trained": "Trained to use naloxone",
    "printout.yes": "yes",
    "printout.no": "no",
    "printout.target": "Target",
    "printout.no_meetings": "No meetings picked yet.",
    "printout.calendar_note": (
        "A calendar file with every meeting of the first {days} days comes with this plan."
    ),
    "printout.residence": "Residence",
    "printout.type": "Type",
    "printout.licence": "Licence or certification",
    "printout.none_listed": "none listed",
    "printout.address": "Address",
    "printout.interview_date": "Interview date",
    "printout.move_in_date": "Move-in date",
    "printout.cost": "Cost",
    "printout.accepts_moud": "Accepts residents on MOUD",
    "printout.notes": "Notes",
    "printout.triggers": "Triggers and high-risk situations",
    "printout.early_signs": "Early warning signs",
    "printout.coping": "Coping strategies",
    "printout.avoid": "People and places to avoid",
    "printout.first_call": "First person to call",
    "printout.back_into_care": "Getting back into care fast",
    "printout.support_row": "Name, relationship, phone",
    "printout.none_recorded": "None recorded.",
    "printout.need": "Need",
    "printout.next_step": "next step: {step}",
    "printout.follow_up": "Follow-up",
    "printout.months_1_3": "Months 1 to 3",
    "printout.after_month_3": "After month 3",
    "printout.no_resources": "No resources on this plan.",
    "printout.when": "When",
    "printout.what_to_bring": "What to bring",
    "printout.booked_by": "Booked by",
    "printout.getting_there": "Getting there",
    "printout.if_missed": "If it is missed, call",
    "printout.prescriber": "Prescriber",
    "printout.pharmacy": "Pharmacy or OTP",
    "printout.next_dose": "Next dose or refill",
    "printout.day": "Day",
    "printout.time": "Time",
    "printout.join_online": "(join online: {url})",
    "printout.crisis_line": "Crisis line",
    "printout.section_header": "Plan details",
    "printout.section_level_of_care": "Recommended level of care",
    "printout.section_appointments": "Confirmed next appointments",
    "printout.section_medications": "Medications and MOUD",
    "printout.section_overdose_risk": "Overdose-risk reminders",
    "printout.section_schedule": "Weekly recovery schedule",
    "printout.section_housing": "Recovery housing",
    "printout.section_relapse_prevention": "Relapse prevention",
    "printout.section_lapse_plan": "If a lapse happens",
    "printout.section_safety_plan": "Safety plan",
    "printout.section_support_network": "Support network",
    "printout.section_other_needs": "Other needs and next steps",
    "printout.section_mental_health": "Mental-health follow-up",
    "printout.section_check_ins": "Check-ins",
    "printout.section_crisis_lines": "Crisis lines",
    "printout.section_consent": "About this copy",
    "printout.section_signatures": "Signatures",
    "printout.section_sources": "Resources and sources",
    # --- county filter, relaxing an empty search ---
    "find.county": "County",
    "find.group_where": "Where",
    "find.empty_relax": "Without the “{filter}” filter: {count} results.",
    "find.empty_relax_one": "Without the “{filter}” filter: 1 result.",
    "find.county_name": "{name} County",
    "find.county_state": "{name} County, {state}",
    # --- the map from the index's arrays ---
    "map.groups_layer": "Groups of listings",
    "map.group_title": "{count} listings here: zoom in to see them",
    # --- the screen language, its switch and the page sentences ---
    "lang.switch_to": "Show this page in English",
    "describe.resources": "resources",
    "describe.cat.support_group": "support groups",
    "describe.cat.recovery_housing": "recovery housing",
    "describe.cat.treatment": "treatment",
    "describe.cat.harm_reduction": "harm reduction (naloxone, medicine disposal)",
    "describe.cat.health_center": "health centers",
    "describe.cat.crisis_line": "crisis lines",
    "describe.cat.government_program": "state and government programs",
    "describe.cat.national_resource": "national resources",
    "describe.or": " or ",
    "describe.fellowships": "{fellowships} {subject}",
    "describe.miles_one": "1 mile",
    "describe.miles": "{miles} miles",
    "describe.within": "{subject} within {miles} of {place}",
    "describe.on_days": "on {days}",
    "describe.tod.morning": "mornings",
    "describe.tod.afternoon": "afternoons",
    "describe.tod.evening": "evenings",
    "describe.tod.night": "nights",
    "describe.in_progress": "in progress now",
    "describe.starting_within": "starting within {hours}",
    "describe.languages": "in {languages}",
    "describe.for": "for {values}",
    "describe.taking": "taking {values}",
    "describe.offering": "offering {values}",
    "describe.mat_friendly": "welcoming people on medication for opioid use disorder",
    "describe.wheelchair": "wheelchair accessible",
    "describe.verified_one": "verified in the last 1 month",
    "describe.verified": "verified in the last {months} months",
    "describe.care_mental_health": "for mental health",
    "describe.care_both": "for substance use or mental health",
    "describe.text": 'matching "{text}"',
    "describe.unconfirmed": "including unconfirmed listings",
    "describe.inactive": "including closed listings",
    "plan.section.header": "Plan details",
    "plan.section.level_of_care": "Recommended level of care",
    "plan.section.appointments": "Confirmed next appointments",
    "plan.section.medications": "Medications and MOUD",
    "plan.section.overdose_risk": "Overdose-risk reminders",
    "plan.section.schedule": "Weekly recovery schedule",
    "plan.section.housing": "Recovery housing",
    "plan.section.relapse_prevention": "Relapse prevention",
    "plan.section.lapse_plan": "If a lapse happens",
    "plan.section.safety_plan": "Safety plan",
    "plan.section.support_network": "Support network",
    "plan.section.other_needs": "Other needs and next steps",
    "plan.section.mental_health": "Mental-health follow-up",
    "plan.section.check_ins": "Check-ins",
    "plan.section.crisis_lines": "Crisis lines",
    "plan.section.consent": "About this copy",
    "plan.section.signatures": "Signatures",
    "plan.section.sources": "Resources and sources",
    "form.header.patient_initials": "Patient initials",
    "form.header.include_full_name": "Include full name",
    "form.header.patient_name": "Patient full name",
    "form.header.plan_date": "Plan date",
    "form.header.transition_date": "Transition date",
    "form.header.program": "Program leaving",
    "form.header.level_of_care_leaving": "Level of care leaving",
    "form.header.clinician": "Clinician",
    "form.header.credentials": "Credentials",
    "form.header.next_review_date": "Next review date",
    "form.loc.asam_level": "ASAM level",
    "form.loc.reason": "Reason, in a sentence",
    "form.appointments.where": "Where",
    "form.appointments.when": "When",
    "form.appointments.phone": "Phone",
    "form.appointments.what_to_bring": "What to bring",
    "form.appointments.booked_by": "Booked by",
    "form.appointments.transport": "Getting there",
    "form.appointments.if_missed": "If missed, call",
    "form.medications.name": "Medication",
    "form.medications.prescriber": "Prescriber",
    "form.medications.pharmacy_or_otp": "Pharmacy or OTP",
    "form.medications.next_dose_or_refill": "Next dose or refill",
    "form.med.naloxone_given": "Naloxone kit given",
    "form.med.naloxone_trained": "Trained to use naloxone",
    "form.overdose.note": (
        "Prints fixed reminders: lower tolerance, never use alone, fentanyl, call 911 (Good Samaritan law)."
    ),
    "form.schedule.meeting_ids": "Meetings from the referral list",
    "form.schedule.meeting_ids.help": "Only meetings with weekly times can go on the schedule.",
    "form.schedule.target": "Target",
    "form.housing.resource_id": "Residence from the referral list",
    "form.housing.interview_date": "Interview date",
    "form.housing.move_in_date": "Move-in date",
    "form.housing.cost": "Cost",
    "form.housing.notes": "Notes",
    "form.relapse.triggers": "Triggers and high-risk situations",
    "form.relapse.warning_signs": "Early warning signs",
    "form.relapse.coping_strategies": "Coping strategies",
    "form.relapse.avoid": "People and places to avoid",
    "form.lapse.first_call": "First person to call",
    "form.lapse.back_into_care": "How to get back into care fast",
    "form.safety.warning_signs": "1. Warning signs",
    "form.safety.internal_coping": "2. Internal coping strategies",
    "form.safety.distraction": "3. People and places for distraction",
    "form.safety.people": "4. People to ask for help",
    "form.safety.professionals": "5. Professionals and agencies (988 prints anyway)",
    "form.safety.environment": "6. Making the environment safe",
    "form.support.note": "First names only.",
    "form.support.first_name": "First name",
    "form.support.relationship": "Relationship",
    "form.support.phone": "Phone",
    "form.needs.area": "Need (benefits, work, legal, transport, childcare, food…)",
    "form.needs.next_step": "Next step",
    "form.mental.follow_up": "Follow-up for co-occurring conditions",
    "form.checkins.early": "Months 1 to 3: who calls whom, how often",
    "form.checkins.later": "After month 3",
    "form.no_name": "(no name)",
    "plan.print_in": "Print in",
    "plan.print_in_help": (
        "The language of the printout, the plan file and the calendar file's event text. The screen can stay in another language."
    ),
    "list.print_in_help": (
        "The language of the downloaded lists (PDF, print page, spreadsheet headings). The screen can stay in another language."
    ),
    "plan.default_target": "90 meetings in 90 days",
    "about.sources_english": "The notes on each data source below are written in English only.",
    "find.place_not_found": "We couldn't find '{place}' — try a 5-digit ZIP code or a city name",
    "find.geocoding_unavailable": "Address search is unavailable right now. Try a ZIP code or city name.",
    "catalog.axis_kind": "Kind",
    "catalog.axis_county": "County",
    "catalog.age_0": "Under 1 year",
    "catalog.age_1": "1–2 years",
    "catalog.age_2": "2–5 years",
    "catalog.age_3": "Over 5 years",
    "catalog.age_4": "No date",
    "query.unreadable": "Ignored the search settings in the link: they could not be read.",
    "query.unknown": "Ignored the unknown setting '{setting}'.",
    "query.lat_lon": "Ignored lat/lon: give both a latitude and a longitude.",
    "query.flag": "Ignored {setting}='{value}': use 1 for yes.",
    "query.soon": "Ignored soon='{value}': give a number of hours from 0 to {max}.",
    "query.months": "Ignored ver='{value}': give a whole number of months from 1 to {max}.",
    "query.one_of": "Ignored {setting}='{value}': use one of {choices}.",
    "query.latitude": "Ignored {setting}='{value}': not a latitude between {low} and {high}.",
    "query.longitude": "Ignored {setting}='{value}': not a longitude between {low} and {high}.",
    "query.radius": "Ignored r='{value}': the radius is a number of miles from 1 to 100.",
    "query.radius_clamped": "The radius must be 1 to 100 miles; {value} was changed to {radius}.",
    "query.unknown_value": "Ignored '{value}' in {setting}: it is not a known value.",
    "query.too_many": "Only the first {max} values of {setting} were used.",
    "describe.county_name": "{name} County",
    # --- session 4, mend: the search sentence's words, one builder for every language ---
    # A format inside the sentence ("Resources, in person or online").
    "describe.format.in_person": "in person",
    "describe.format.online": "online",
    "describe.format.hybrid": "hybrid",
    "describe.format.phone": "by phone",
    # A weekday before a time of day ("Tuesday evenings", "Tuesday, morning or evening"); Spanish says it in the plural.
    "describe.day.mon": "Monday",
    "describe.day.tue": "Tuesday",
    "describe.day.wed": "Wednesday",
    "describe.day.thu": "Thursday",
    "describe.day.fri": "Friday",
    "describe.day.sat": "Saturday",
    "describe.day.sun": "Sunday",
    # A weekday alone, after "on" ("on Tuesdays or Thursdays").
    "describe.days.mon": "Mondays",
    "describe.days.tue": "Tuesdays",
    "describe.days.wed": "Wednesdays",
    "describe.days.thu": "Thursdays",
    "describe.days.fri": "Fridays",
    "describe.days.sat": "Saturdays",
    "describe.days.sun": "Sundays",
    # A time of day after weekdays when there are several ("Tuesday, morning or evening").
    "describe.time.morning": "morning",
    "describe.time.afternoon": "afternoon",
    "describe.time.evening": "evening",
    "describe.time.night": "night",
    # {days}: weekdays joined with "or"; {time}: one time of day (describe.tod.*), {times}: several (describe.time.*).
    "describe.days_time": "{days} {time}",
    "describe.days_times": "{days}, {times}",
    "describe.in_counties": "in {counties}",
    # --- session 5: the result cards drawn as one list (components/result_list.py) ---
    # The accessible name of the list of result cards (a screen reader says "Results, list, 20 items").
    "find.results_label": "Results",
    # In place of a distance on a card: how a listing reaches a person wherever they are.
    "card.reach_online": "online",
    "card.reach_phone": "by phone",
    "card.reach_statewide": "statewide",
    "card.reach_national": "national",
    "card.reach_area": "serves this area",
    # A source's short name where it is a description, not a name, in "{source} listing from {year}".
    "source.short_web_page": "Web page",
    "source.short_news": "News and county",
    "source.short_compiled": "Compiled",
    # --- session 6: the filter panel drawn once opened (components/disclosure.py) ---
    # Seen for the moment between opening "Filters (n)" and its filters appearing.
    "find.filters_loading": "Loading the filters…",
    # --- session 7: the Find page's first screen, drawn by the server (directory/render/first_screen.py) ---
    # Where the search form will be, for the moment before the app has drawn it.
    "find.first_loading": "Loading the search form…",
    # An "Add" pressed on that first screen: it is pressed again once the app is ready.
    "find.first_add_queued": "Adding…",
}


def t(key: str, lang: str | None = None, **kwargs: object) -> str:
    """The sentence for `key` in `lang` with its {placeholders} filled; the key itself (logged) when unknown.

    A language without words for the key reads English (and logs it once; tests make it an error).
    For a plural pair ("find.count" / "find.count_one") the other language picks its form by `count`
    (or by the only placeholder); English reads the key asked for, as it always has. A whole `count` is
    written with digit grouping ("100,000 results").
    """
    english = ENGLISH.get(key)
    if english is None:
        log.warning("no words for key %s", key)
        return key
    code = language(lang)
    text = english
    if code != translation.ENGLISH:
        # The number that picks a plural form: {count}, or the sentence's only placeholder ({hours}).
        number = kwargs.get("count", next(iter(kwargs.values())) if len(kwargs) == 1 else None)
        text = translation.sentence(key, ENGLISH, code, number)
    if not kwargs:
        return text
    if isinstance(kwargs.get("count"), int) and not isinstance(kwargs["count"], bool):
        kwargs = {**kwargs, "count": dates.number_words(kwargs["count"], code)}  # "100,000 results"
    try:
        return text.format(**kwargs)
    except (KeyError, IndexError, ValueError):
        log.warning("words for key %s need other values", key)
        return text


def count_words(key: str, count: int, lang: str | None = None, **kwargs: object) -> str:
    """The sentence of a plural pair for `count`: count_words("find.count", 1) == "1 result"; 3 → "3 results"."""
    singular = key + translation.PLURAL_SUFFIX
    names = placeholders(key) if key in ENGLISH else set()
    name = "count" if "count" in names or len(names) != 1 else next(iter(names))
    return t(singular if count == 1 and singular in ENGLISH else key, lang, **{name: count}, **kwargs)


def placeholders(key: str) -> set[str]:
    """The names a sentence expects, e.g. {"count"} for "find.count"."""
    return translation.placeholder_names(ENGLISH[key])


def vocab(field_name: str, value: str, lang: str | None = None) -> str:
    """The plain label of a vocabulary value (a kind, a payment, a weekday, a meeting type…) in `lang`.

    Fields are those of `schema.VOCABULARY_FIELDS`, plus "weekday" (0 = Monday), "meeting_types"
    (Meeting Guide codes) and "languages" (ISO 639-1 codes, named by Babel's CLDR data).
    """
    code = language(lang)
    value = str(value)
    if f"{field_name}.{value}" in ENGLISH:
        return t(f"{field_name}.{value}", code)
    if field_name in ("weekday", "weekdays"):
        return dates.weekday_label(int(value), code)
    if field_name == "languages":
        return dates.language_name(value, code)
    if field_name == "subcategory":
        return value.replace("_", " ")  # a kind of place no source has named in words yet
    if field_name == "meeting_types":
        english, context = _meeting_type(value)
    elif field_name in VOCABULARY_FIELDS:
        english, context = label(field_name, value), f"{field_name}.{value}"
    else:
        return label(field_name, value)
    if code == translation.ENGLISH or context is None:
        return english
    found = translation.translate(context, english, code)
    if found is None:
        translation.missing(code, context, "no entry for this label in the catalog")
        return english
    return found


_MEETING_TYPES_UPPER = {code.upper(): code for code in MEETING_TYPES}


def _meeting_type(code: str) -> tuple[str, str | None]:
    known = _MEETING_TYPES_UPPER.get(code.strip().upper())
    return (MEETING_TYPES[known], f"meeting_type.{known}") if known else (code, None)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


# Streamlit's Markdown turns bare addresses in text into links after escapes are read ("GFM autolink
# literals": www., http://, https://, e-mail addresses, mailto: and xmpp:), so a WORD JOINER (U+2060,
# invisible) is put where each would start: the text reads the same and no link is made of it.
_AUTOLINK_RE = re.compile(
    r"(?i)(?<=[a-z0-9])(?=://)|(?<=\bwww)(?=\.)|(?=@)|(?<=\bmailto)(?=:)|(?<=\bxmpp)(?=:)"
)


def md(text: object) -> str:
    """Catalog text made inert for Streamlit markdown: no links, images, HTML, emphasis or colour directives."""
    cleaned = re.sub(r"[\x00-\x1f\x7f]", " ", str(text or ""))
    cleaned = _AUTOLINK_RE.sub("\u2060", cleaned)
    return _MD_SPECIAL.sub(r"\\\1", cleaned)


def safe_url(url: str | None) -> bool:
    """Whether a catalog address may become a link: http(s), tel:, sms: or geo:, with no space, quote or
    angle bracket in it (no javascript:, data: or an address that breaks out of an attribute)."""
    return bool(re.match(r"^(https?://|tel:|sms:|geo:)[^\s<>\"'`]*$", url or ""))


# The search's words for a listing that reaches a person anywhere (directory/search.py), in place of a distance.
_REACH = {
    "online": "card.reach_online",
    "by phone": "card.reach_phone",
    "statewide": "card.reach_statewide",
    "national": "card.reach_national",
    "serves this area": "card.reach_area",
}


def distance_words(label: str | None, lang: str | None = None) -> str:
    """A result's distance label in the screen's language: "0.5 mi" stays (numbers read the same), "national"
    becomes "nacional"."""
    label = label or ""
    return t(_REACH[label], lang) if label in _REACH else label


def md_link(label_text: str, url: str) -> str:
    """A markdown link whose label is escaped and whose URL must be http(s), tel:, sms: or geo:; "" otherwise."""
    if not safe_url(url):
        return ""
    quoted = url.replace("(", "%28").replace(")", "%29")
    return f"[{md(label_text)}]({quoted})"


def clock(hhmm: str, lang: str | None = None) -> str:
    """'19:00' -> '7:00 PM' (es: '7:00 p. m.'); unknown text is returned as given."""
    return dates.time_words(hhmm, language(lang))


def slot_words(slot: Slot, lang: str | None = None) -> str:
    """'Tuesday 7:00 PM–8:00 PM' (es: 'martes 7:00 p. m.–8:00 p. m.')."""
    return dates.slot_words(slot, language(lang))


def next_words(start: datetime, now: datetime, lang: str | None = None) -> str:
    """When a meeting starts, said the way people say it: 'today 7:00 PM', 'Thursday 9:30 AM'."""
    code = language(lang)
    time_text = dates.time_words(start.strftime("%H:%M"), code)
    if start <= now:
        return t("when.now", code, time=time_text)
    if start.date() == now.date():
        return t("when.today", code, time=time_text)
    if start.date() == (now + timedelta(days=1)).date():
        return t("when.tomorrow", code, time=time_text)
    return t("when.weekday", code, day=dates.weekday_name(start.weekday(), code), time=time_text)


def when_text(resource: Resource, next_start: datetime | None, now: datetime, lang: str | None = None) -> str:
    """The card's time line: the next meeting, else the weekly times, else the opening hours; "" when none."""
    code = language(lang)
    if next_start is not None:
        return t("card.next", code, when=next_words(next_start, now, code))
    if resource.schedule:
        shown = "; ".join(slot_words(s, code) for s in resource.schedule[:3])
        return t("card.meets", code, schedule=shown + ("; …" if len(resource.schedule) > 3 else ""))
    if resource.hours:
        return t("card.hours", code, hours=resource.hours)
    return ""


def where_text(resource: Resource) -> str:
    """Street, city and ZIP on one line."""
    city_line = " ".join(
        p for p in (f"{resource.city}," if resource.city else "", resource.state, resource.zip) if p
    )
    return ", ".join(p for p in (resource.address, resource.address2, city_line.rstrip(",")) if p)


_ACRONYMS = {"moud", "otp", "iop", "php", "fqhc", "mat", "aa", "na", "ca", "cma", "smart", "dui", "lgbtq"}


def subcategory_text(value: str) -> str:
    """A kind-of-place key in words: "moud_provider" -> "MOUD provider", "sober_living" -> "Sober living"."""
    words = [w.upper() if w in _ACRONYMS else w for w in str(value).split("_") if w]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def kind_text(resource: Resource, lang: str | None = None) -> str:
    """The kind, with the fellowship or the kind of place when known: 'Support group · AA'."""
    code = language(lang)
    kind = vocab("category", resource.category, code)
    sub = resource.subcategory
    place = (
        (subcategory_text(sub) if code == translation.ENGLISH else vocab("subcategory", sub, code))
        if sub
        else ""
    )
    extra = resource.fellowship or place
    return f"{kind} · {extra}" if extra else kind


def care_text(resource: Resource, labelled: bool = True) -> str:
    """The kind of care and the medications a listing offers: 'Care: Outpatient, Detox · Medications: Methadone'.

    `labelled=False` leaves out the leading "Care:" for a printout whose line is already labelled so.
    """
    shown = ("outpatient", "intensive_outpatient", "residential", "detox", "hospital_inpatient")
    kinds = [vocab("services", s) for s in shown if s in resource.services]
    if "opioid_treatment_program" in resource.services:
        kinds.insert(0, vocab("services", "opioid_treatment_program"))
    if "mental_health" in resource.services and "substance_use" not in resource.services:
        kinds.insert(0, vocab("services", "mental_health"))
    shown_kinds = ", ".join(kinds)
    parts = [t("card.care", kinds=shown_kinds) if labelled else shown_kinds] if kinds else []
    if resource.moud_services:
        medications = ", ".join(vocab("moud_services", m) for m in resource.moud_services)
        parts.append(t("card.medications", medications=medications))
    return " · ".join(parts)
