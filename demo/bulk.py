"""How the big tables are written: ``bulk_create`` in batches, or PostgreSQL's COPY from
``COPY_THRESHOLD`` rows, which keeps 100,000 volunteers (the benchmarks' size) to a
couple of minutes. Every row written is counted under its model's label."""

from __future__ import annotations

import datetime
import json
import operator
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

BATCH_SIZE = 2000
COPY_THRESHOLD = 5000  # rows from which PostgreSQL gets COPY instead of INSERT


class BulkWriter:
    def __init__(self, *, now: datetime.datetime, counts: dict[str, int]):
        self.now = now  # what automatic dates get when COPY bypasses the model
        self.counts = counts

    def insert(
        self, model, objects: list, label: str | None = None, key: str = "", pks: bool = True
    ) -> None:
        """Insert ``objects``, setting their pks unless ``pks`` is False.

        On PostgreSQL, big tables go through COPY when their pks are not needed or can be
        read back through ``key``, a unique column.
        """
        copy_ok = key or not pks
        if copy_ok and connection.vendor == "postgresql" and len(objects) >= COPY_THRESHOLD:
            self._copy(model, objects, key)
        else:
            # bulk_create stamps automatic dates with now: a date the builder chose for
            # the past is put back afterwards.
            dated = [f.attname for f in model._meta.concrete_fields if _is_automatic_date(f)]
            chosen = {name: [getattr(obj, name) for obj in objects] for name in dated}
            model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
            past = [name for name in dated if any(v is not None for v in chosen[name])]
            for name in past:
                for obj, value in zip(objects, chosen[name], strict=True):
                    setattr(obj, name, value or self.now)
            if past and all(obj.pk is not None for obj in objects):
                model.objects.bulk_update(objects, past, batch_size=BATCH_SIZE // 4)
        label = label or model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(objects)

    def insert_rows(self, model, fields: Sequence[str], rows: list[tuple], label: str = ""):
        """Insert plain tuples (``fields`` are attnames), skipping model instances when
        PostgreSQL's COPY can take them: for the big tables whose pks nobody needs.

        COPY bypasses the model, and the database has no defaults of its own: the other
        columns get their field's default (automatic dates: now), as an INSERT would."""
        if connection.vendor == "postgresql" and len(rows) >= COPY_THRESHOLD:
            meta = model._meta
            given = [meta.get_field(name) for name in fields]
            others = [
                f
                for f in meta.concrete_fields
                if f not in given and not (f.primary_key and f.auto_created)
            ]
            defaults = []
            for f in others:
                if _is_automatic_date(f):
                    defaults.append(lambda now=self.now: now)
                elif isinstance(f, models.JSONField):
                    defaults.append(lambda f=f: json.dumps(f.get_default(), cls=f.encoder))
                else:
                    defaults.append(f.get_default)
            qn = connection.ops.quote_name
            columns = ", ".join(qn(f.column) for f in given + others)
            sql = f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row((*row, *(default() for default in defaults)))
            label = label or model._meta.label
            self.counts[label] = self.counts.get(label, 0) + len(rows)
        else:
            objects = [model(**dict(zip(fields, row, strict=True))) for row in rows]
            self.insert(model, objects, label or None, pks=False)

    def _copy(self, model, objects: list, key: str) -> None:
        """PostgreSQL's COPY: several times faster than INSERT for the big tables.

        It skips ``Field.pre_save``, so automatic dates are filled in here.
        """
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not (f.primary_key and f.auto_created)]
        if not meta.pk.auto_created:
            raise ValueError(f"COPY needs an automatic primary key ({meta.label}).")
        getters: list[Callable[[Any], Any]] = []
        for f in fields:
            if _is_automatic_date(f):
                # A date the builder chose for the past, else now.
                # mypy cannot type a lambda that binds values as defaults (here and below).
                getters.append(
                    lambda obj, name=f.attname, now=self.now: getattr(obj, name) or now  # type: ignore[misc]
                )
            elif isinstance(f, models.JSONField):
                getters.append(
                    lambda obj, name=f.attname, enc=f.encoder: json.dumps(  # type: ignore[misc]
                        getattr(obj, name), cls=enc
                    )
                )
            elif isinstance(f, models.FileField):
                # A file is stored as its name ("" for none).
                getters.append(
                    lambda obj, name=f.attname: getattr(obj, name).name or ""  # type: ignore[misc]
                )
            else:
                getters.append(operator.attrgetter(f.attname))
        qn = connection.ops.quote_name
        sql = f"COPY {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) FROM STDIN"
        last_pk = model.objects.aggregate(last=models.Max("pk"))["last"] or 0
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for obj in objects:
                # Copies the pks of related objects saved since (as bulk_create does).
                obj._prepare_related_fields_for_save(operation_name="bulk_create")
                copy.write_row([get(obj) for get in getters])
        if key:
            pks = dict(model.objects.filter(pk__gt=last_pk).values_list(key, "pk"))
            for obj in objects:
                obj.pk = pks[getattr(obj, key)]


def _is_automatic_date(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
