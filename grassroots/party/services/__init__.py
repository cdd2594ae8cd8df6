"""Writes of party building: organisations and members (`organisation`),
结对帮扶 (`pairs`), 专题培训 and QR sign-in (`training`), the 红黄榜 rule
and monthly lists (`board`, on the workflow engine in `workflow`)."""
