"""The public pages that need the registry: home, certificate pages, badges, bulk upload.

Route -> service -> repository, one way; rendering is :mod:`verify.pages`. Everything here
is public (no login) and shows public data only: names in both scripts, region, craft,
certificate facts. Personal data (national id, phone, address, e-mail) and internal ids
are never selected from the database on this path.
"""
