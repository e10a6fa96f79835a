"""Read the BI views as Superset does: SQLAlchemy's inspector over psycopg2.

    sqlalchemy_check.py URL SCHEMA

URL is a SQLAlchemy URL such as
postgresql+psycopg2://bi_superset:PASSWORD@127.0.0.1:5432/issuelist, for a
BI login.  The check lists the views of SCHEMA (get_view_names, as Superset
lists a schema's datasets), gives each view a comment (get_table_comment)
and each column a SQLAlchemy type other than NullType (a type SQLAlchemy
does not know, which Superset can neither filter nor aggregate) and a
comment (get_columns), looks up keys and indexes as Superset does when it
adds a dataset, and reads each view (SELECT * ... LIMIT 5).

Prints one line per column, "view.column<TAB>type<TAB>rows read", one line
"problem: ..." per problem, then "N views, N problems"; exits 1 when there
is a problem, 2 when it cannot connect.
"""
import sys
import warnings

import sqlalchemy
from sqlalchemy import inspect, text
from sqlalchemy.types import NullType


def main(url, schema):
    problems = []
    # SQLAlchemy warns when it does not recognize a type (and then gives
    # NullType, which is reported below): keep stderr for real errors.
    warnings.simplefilter("ignore", sqlalchemy.exc.SAWarning)
    engine = sqlalchemy.create_engine(url)
    try:
        conn = engine.connect()
    except sqlalchemy.exc.OperationalError as e:
        print("cannot connect: %s" % e.orig, file=sys.stderr)
        return 2
    with conn:
        insp = inspect(conn)
        if schema not in insp.get_schema_names():
            problems.append("get_schema_names does not list %s" % schema)
        views = sorted(insp.get_view_names(schema=schema))
        if not views:
            problems.append("get_view_names lists no view in %s" % schema)
        for view in views:
            comment = insp.get_table_comment(view, schema=schema).get("text")
            if not comment:
                problems.append("%s: get_table_comment gives no comment" % view)
            # What Superset asks when a view becomes a dataset: none may fail.
            insp.get_pk_constraint(view, schema=schema)
            insp.get_foreign_keys(view, schema=schema)
            insp.get_indexes(view, schema=schema)
            columns = insp.get_columns(view, schema=schema)
            if not columns:
                problems.append("%s: get_columns gives no column" % view)
            # Quoted by SQLAlchemy's own preparer, as Superset quotes names.
            quote = engine.dialect.identifier_preparer.quote
            # Each read on a connection of its own from the pool, as Superset
            # runs a chart's query: a failed one is rolled back on return.
            try:
                with engine.connect() as reader:
                    rows = reader.execute(text("SELECT * FROM %s.%s LIMIT 5"
                                               % (quote(schema), quote(view)))).fetchall()
                read = len(rows)
            except sqlalchemy.exc.DBAPIError as e:
                problems.append("%s: SELECT fails: %s" % (view, str(e.orig).strip().splitlines()[0]))
                read = -1
            for col in columns:
                name = "%s.%s" % (view, col["name"])
                ctype = col["type"]
                if isinstance(ctype, NullType):
                    problems.append("%s: get_columns gives NullType" % name)
                if not col.get("comment"):
                    problems.append("%s: get_columns gives no comment" % name)
                print("%s\t%s\t%d" % (name, type(ctype).__name__, read))
    for p in problems:
        print("problem: %s" % p)
    print("%d views, %d problems" % (len(views), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
