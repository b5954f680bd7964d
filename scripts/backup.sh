#!/bin/sh
# One backup: the database as a pg_dump archive (custom format, for pg_restore) and the
# uploaded files as a tar.gz, both named with the time, in BACKUP_DIR; archives older
# than BACKUP_KEEP_DAYS are deleted. The backup service of docker-compose.yml runs it
# on a schedule; restore with scripts/restore.sh.
#
# DATABASE_URL  the database (postgres://user:password@host:5432/name); without it,
#               pg_dump reads the PGHOST, PGUSER, PGPASSWORD and PGDATABASE variables
# MEDIA_DIR     the uploaded files (default /media)
# BACKUP_DIR    where the archives go (default /backups)
set -eu

backup_dir=${BACKUP_DIR:-/backups}
media_dir=${MEDIA_DIR:-/media}
keep_days=${BACKUP_KEEP_DAYS:-14}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$backup_dir"

# Written under a temporary name first: a dump cut short is never taken for a backup.
if [ -n "${DATABASE_URL:-}" ]; then
	pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" \
		--file="$backup_dir/probono-$stamp.dump.partial"
else
	pg_dump --format=custom --no-owner --no-privileges \
		--file="$backup_dir/probono-$stamp.dump.partial"
fi
mv "$backup_dir/probono-$stamp.dump.partial" "$backup_dir/probono-$stamp.dump"

tar -czf "$backup_dir/media-$stamp.tar.gz.partial" -C "$media_dir" .
mv "$backup_dir/media-$stamp.tar.gz.partial" "$backup_dir/media-$stamp.tar.gz"

find "$backup_dir" -maxdepth 1 \( -name 'probono-*.dump' -o -name 'media-*.tar.gz' \) \
	-mtime +"$keep_days" -delete
echo "Backup $stamp: probono-$stamp.dump, media-$stamp.tar.gz in $backup_dir"
