"""The admin's mailbox: the outbox newest first, with its links clickable."""

from ideas.core.mail import deliver_pending, queue_mail
from tests.admin.test_views import logged_in


def test_mailbox_lists_outbox_newest_first_with_links(app, db, make):
    admin = make.user(admin=True)
    queue_mail("first@example.org", "Older subject", "Plain body")
    queue_mail("second@example.org", "Confirm your address",
               "Open http://127.0.0.1:5000/verify/tok.en-1 to confirm.\n<b>not markup</b>")
    db.session.commit()
    deliver_pending(app.config, echo=lambda _text: None)  # no MAIL_SERVER: kept locally
    queue_mail("third@example.org", "Still waiting", "Later")
    db.session.commit()

    html = logged_in(app, admin).get("/admin/mailbox").get_data(as_text=True)
    assert html.index("Still waiting") < html.index("Confirm your address") < html.index("Older subject")
    assert '<a href="http://127.0.0.1:5000/verify/tok.en-1" rel="noreferrer">' in html
    assert "to confirm." in html  # the sentence's full stop is not part of the link
    assert "&lt;b&gt;not markup&lt;/b&gt;" in html  # mail text is escaped
    assert "second@example.org" in html
    assert "kept locally" in html and "waiting" in html
    assert "No mail server is configured" in html


def test_registration_mail_appears_in_the_mailbox(app, db, make, client):
    admin = make.user(admin=True)
    db.session.commit()
    client.post("/register", {"email": "newcomer@example.org", "display_name": "Newcomer",
                              "password": "a long enough password"})
    html = logged_in(app, admin).get("/admin/mailbox").get_data(as_text=True)
    assert "newcomer@example.org" in html and 'href="http://localhost/verify/' in html
