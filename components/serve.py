"""Start the app server with its heavy libraries already imported, as `make run` does.

Streamlit runs app.py only when a visitor arrives, so the first visitor of a fresh server would wait
about a second for numpy, pandas and folium to import. Importing them here, before the server
starts, moves that second to start-up, where the health check still answers within two seconds.
streamlit_folium is left out on purpose: it declares a component, which must happen once the server runs.
Arguments after the module name go to `streamlit run app.py`.
"""

import sys

import folium  # noqa: F401 - imported for its start-up cost
from streamlit.web import cli

import directory.maps  # noqa: F401
import directory.search  # noqa: F401


def main(argv: list[str]) -> int:
    from components import shell

    shell.prepare_server()  # before the first visitor: deep links such as /referral-list just work
    sys.argv = ["streamlit", "run", "app.py", *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
