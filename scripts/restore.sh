#!/bin/sh
# Restore a backup made by scripts/backup.sh: the dump into an empty database, then the
# uploaded files. Stop web, worker and beat first (see "Backups" in the README).
#
# usage: restore.sh DUMP [MEDIA_ARCHIVE]
# DATABASE_URL  the empty target database (or the PG* variables, as for backup.sh)
# MEDIA_DIR     where the uploaded files go back (default /media)
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 DUMP [MEDIA_ARCHIVE]" >&2
	exit 2
fi
dump=$1
media=${2:-}
media_dir=${MEDIA_DIR:-/media}
if [ -n "${DATABASE_URL:-}" ]; then
	set -- --dbname="$DATABASE_URL"
else
	set -- --dbname="${PGDATABASE:?set DATABASE_URL or the PG* variables}"
fi

# Never over live data: the target must hold no table yet.
tables=$(psql "$@" --no-psqlrc --tuples-only --no-align \
	--command="select count(*) from pg_tables where schemaname = 'public'")
if [ "$tables" != "0" ]; then
	echo "The target database already holds $tables tables: restore into an empty one." >&2
	exit 1
fi

# One transaction: an error leaves the database as empty as it was.
pg_restore --exit-on-error --single-transaction --no-owner --no-privileges "$@" "$dump"

if [ -n "$media" ]; then
	mkdir -p "$media_dir"
	tar -xzf "$media" -C "$media_dir"
fi
echo "Restored $dump${media:+ and $media}."
