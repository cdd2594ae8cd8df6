"""The pages of matters: `public` (report, track, feedback), `intake` (staff
intake and visits), `queue` (work queue, export, detail, attachments) and
`actions` (the detail page's actions); `display` holds what the queue and the
detail panel show beyond a matter's fields."""
