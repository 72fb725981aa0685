"""What several browser tests do the same way."""

from tests.factories import PASSWORD


def log_in(page, live_server, user) -> None:
    """Sign ``user`` (made by the factories, so with their password) in to the admin through its login form."""
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
