"""Writes of the WeChat channels, split by sub-domain: `inbound` (what the
official account receives: matters, subscriptions, publish results),
`notices` (subscription messages to reporters), `robots` (a village's group
robots), `posts` (a publication pushed to groups and the account) and
`delivery` (one attempt at an outgoing call, run by the tasks)."""
