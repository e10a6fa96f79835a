/*
 * JdbcCheck: read every view of a schema through the PostgreSQL JDBC driver
 * (the driver of Metabase, DBeaver and Tableau) and check what those tools
 * see in its metadata.
 *
 * usage: java -cp postgresql.jar JdbcCheck.java JDBC-URL SCHEMA
 *
 * For each view: DatabaseMetaData.getTables gives it a remark;
 * DatabaseMetaData.getColumns gives every column a remark and a plain JDBC
 * type; ResultSetMetaData of SELECT * agrees and reports no OTHER, STRUCT,
 * ARRAY or DISTINCT column; and every value reads back as a plain Java
 * object (no PGobject, Array or Struct).  It prints one line per column
 * ("view.column JDBC-TYPE pg-type rows") and one "problem:" line per
 * failure, and exits 1 if there was any.
 */
import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Struct;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

public class JdbcCheck
{
	/* The JDBC types of text, integer, bigint, numeric, boolean, date, timestamptz. */
	static final Set<Integer> PLAIN = Set.of(Types.VARCHAR, Types.INTEGER, Types.BIGINT,
			Types.NUMERIC, Types.BIT, Types.BOOLEAN, Types.DATE, Types.TIMESTAMP,
			Types.TIMESTAMP_WITH_TIMEZONE);
	/* What BI tools cannot map: the issue names these. */
	static final Set<Integer> FORBIDDEN = Set.of(Types.OTHER, Types.STRUCT, Types.ARRAY,
			Types.DISTINCT, Types.JAVA_OBJECT);

	static int problems = 0;

	static void problem(String where, String what)
	{
		System.out.println("problem: " + where + ": " + what);
		problems++;
	}

	static String typeName(int t)
	{
		try
		{
			return JDBCType.valueOf(t).getName();
		}
		catch (IllegalArgumentException e)
		{
			return Integer.toString(t);
		}
	}

	static void checkType(String where, String source, int t)
	{
		if (FORBIDDEN.contains(t))
			problem(where, source + " reports " + typeName(t));
		else if (!PLAIN.contains(t))
			problem(where, source + " reports " + typeName(t) + ", not a plain type");
	}

	public static void main(String[] args) throws Exception
	{
		if (args.length != 2)
		{
			System.err.println("usage: java -cp postgresql.jar JdbcCheck.java JDBC-URL SCHEMA");
			System.exit(2);
		}
		String schema = args[1];
		try (Connection conn = DriverManager.getConnection(args[0]))
		{
			DatabaseMetaData md = conn.getMetaData();
			Map<String, String> views = new LinkedHashMap<>();
			try (ResultSet rs = md.getTables(null, schema, "%", new String[] {"VIEW"}))
			{
				while (rs.next())
					views.put(rs.getString("TABLE_NAME"), rs.getString("REMARKS"));
			}
			if (views.isEmpty())
				problem(schema, "no views");
			for (Map.Entry<String, String> v : views.entrySet())
			{
				String view = v.getKey();
				if (v.getValue() == null || v.getValue().isBlank())
					problem(view, "getTables gives no REMARKS");
				checkView(conn, md, schema, view);
			}
			System.out.println(views.size() + " views, " + problems + " problems");
		}
		System.exit(problems == 0 ? 0 : 1);
	}

	static void checkView(Connection conn, DatabaseMetaData md, String schema, String view)
			throws Exception
	{
		/* What a tool's schema browser shows: getColumns. */
		List<String> columns = new ArrayList<>();
		try (ResultSet rs = md.getColumns(null, schema, view, "%"))
		{
			while (rs.next())
			{
				String where = view + "." + rs.getString("COLUMN_NAME");
				columns.add(rs.getString("COLUMN_NAME"));
				checkType(where, "getColumns", rs.getInt("DATA_TYPE"));
				String remarks = rs.getString("REMARKS");
				if (remarks == null || remarks.isBlank())
					problem(where, "getColumns gives no REMARKS");
			}
		}

		/* What a tool's query sees: ResultSetMetaData, then every value. */
		try (Statement st = conn.createStatement();
			 ResultSet rs = st.executeQuery("SELECT * FROM \"" + schema + "\".\"" + view + "\""))
		{
			ResultSetMetaData rsmd = rs.getMetaData();
			int n = rsmd.getColumnCount();
			if (n != columns.size())
				problem(view, "ResultSetMetaData has " + n + " columns, getColumns " + columns.size());
			for (int i = 1; i <= n; i++)
				checkType(view + "." + rsmd.getColumnName(i), "ResultSetMetaData", rsmd.getColumnType(i));
			int rows = 0;
			while (rs.next())
			{
				rows++;
				for (int i = 1; i <= n; i++)
				{
					Object o = rs.getObject(i);
					if (o instanceof Array || o instanceof Struct
						|| (o != null && o.getClass().getName().startsWith("org.postgresql")))
						problem(view + "." + rsmd.getColumnName(i),
								"value reads as " + o.getClass().getName());
				}
			}
			for (int i = 1; i <= n; i++)
				System.out.println(view + "." + rsmd.getColumnName(i) + "\t"
						+ typeName(rsmd.getColumnType(i)) + "\t" + rsmd.getColumnTypeName(i)
						+ "\t" + rows);
		}
	}
}
