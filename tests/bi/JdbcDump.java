/*
 * JdbcDump: print the rows of a query as the PostgreSQL JDBC driver (the
 * driver of Metabase, DBeaver and Tableau) reads them: a header of column
 * names, then one line per row, each value as getString() gives it,
 * separated by tabs.  Tests compare what a BI tool reads before and after
 * a change.
 *
 * usage: java -cp postgresql.jar JdbcDump.java JDBC-URL QUERY
 */
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;

public class JdbcDump
{
	public static void main(String[] args) throws Exception
	{
		if (args.length != 2)
		{
			System.err.println("usage: java -cp postgresql.jar JdbcDump.java JDBC-URL QUERY");
			System.exit(2);
		}
		try (Connection c = DriverManager.getConnection(args[0]);
			 Statement s = c.createStatement();
			 ResultSet r = s.executeQuery(args[1]))
		{
			ResultSetMetaData m = r.getMetaData();
			StringBuilder line = new StringBuilder();
			for (int i = 1; i <= m.getColumnCount(); i++)
				line.append(i > 1 ? "\t" : "").append(m.getColumnName(i));
			System.out.println(line);
			while (r.next())
			{
				line.setLength(0);
				for (int i = 1; i <= m.getColumnCount(); i++)
					line.append(i > 1 ? "\t" : "").append(r.getString(i));
				System.out.println(line);
			}
		}
	}
}
