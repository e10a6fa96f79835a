# The manual's examples as tests: read the fenced blocks of a page of
# docs/, run them, and compare what they print with what the page shows.
#
# A page says how its examples run in an HTML comment, which Markdown does
# not show:
#
#   <!-- examples: SETUP [as_of=YYYY-MM-DD] -->   once, for the page
#       SETUP is one of
#         bare      a database without the extension (the page makes it)
#         empty     a database with the extension only
#         province  and the sample province (load_sample_province)
#         demo      the demo's data (client/demo): the sample province,
#                   4000 synthetic issues a quarter (seed 2021) in the six
#                   complete quarters before as_of, all frozen; the same on
#                   any day the test runs
#         elsewhere the page's examples are run by another test (named after it)
#       as_of is the day client commands answer for (their AS_OF);
#       "output varies WHY" at the end: every block's output varies.
#   <!-- example: OPTIONS -->                    just before one block
#       skip WHY          not an example (a signature, a grammar, a plan,
#                         a file) in a block without a tag; WHY is required
#                         (a block tagged sh, ini... is not run)
#       as LOGIN          run it as that login
#       output varies WHY the output is not compared, only whether each
#                         statement fails, and then its message with every
#                         number masked (days, codes and counts that depend
#                         on the day the example runs); WHY is required
#       fails SQLSTATE    every statement shown failing fails with this code
#     options combine with ";".
#
# A block is SQL (```sql, or a plain block whose first line is a
# statement) or the client's (lines "NAME=> command", and "$ issuelist ..."
# with "$ echo $?").  In SQL, a statement starts with an upper-case keyword
# or a backslash and ends with ";" (or at the end of a backslash command);
# the lines up to the next statement are what it prints, and "-- ERROR:",
# "-- HINT:" or "-- NOTICE:" lines in ```sql blocks say how it fails.  A
# statement whose trailing comment starts with a login's name, or that
# follows a comment line "-- as LOGIN", runs as that login.  In the
# client's blocks the prompt names the login: province (the superuser),
# yiwu (clerk, an editor of Yiwu) and jinhua (checker, a verifier of
# Jinhua); "\set AS_OF DAY" sets the day for the commands that follow
# (and "\set NAME VALUE" the client's other variables).  "$ cat FILE"
# followed by lines writes them to FILE, "$ truncate -s NM FILE" makes a
# file of N MB, in the directory the client runs in.
#
# What is compared: each line with its white space folded and table cells
# trimmed (so column widths do not matter), without "(N rows)" and "Time:"
# lines; a line "..." in the page stands for any lines.  NOTICEs and
# DETAILs count only where the page shows one, HINTs where it shows one.
# ISSUELIST_DOCS_UPDATE=1 writes what the client's commands print into the
# page where they differ (update_page).
package IssuelistDocs;

use strict;
use warnings;
use Exporter 'import';
use IPC::Run ();
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use IssuelistClient qw(utf8_node);
use Test::More;

our @EXPORT = qw(doc_blocks doc_setup docs_node run_doc_page sql_blocks);

# The logins of the manual's examples: name, role, subtree.
my @logins = (
	[ 'ed_xihu',      'issuelist_editor',   '330106' ],
	[ 'ver_xihu',     'issuelist_verifier', '330106' ],
	[ 'ver_hangzhou', 'issuelist_verifier', '330100' ],
	[ 'ver_jinhua',   'issuelist_verifier', '330700' ],
	[ 'discipline',   'issuelist_auditor',  undef ],
	[ 'clerk',        'issuelist_editor',   '330782' ],
	[ 'checker',      'issuelist_verifier', '330700' ],
);
my %is_login = map { $_->[0] => 1 } @logins;
my %prompt_login = (province => undef, postgres => undef, yiwu => 'clerk', jinhua => 'checker');

my $keyword = qr/^(?:SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|DROP|SET|RESET|COPY|EXPLAIN|GRANT|REVOKE|LISTEN|NOTIFY|BEGIN|COMMIT|ROLLBACK|TABLE|VALUES|CALL|DO|ANALYZE|VACUUM)\b|^\\/;

# The ```sql blocks of a Markdown file, in order (tests/t/403).
sub sql_blocks
{
	my ($file) = @_;
	my $text = slurp_file("$ENV{ISSUELIST_TOP}/docs/$file");
	return $text =~ /^```sql\n(.*?)^```$/msg;
}

# The page's setup directive: (setup, as_of), or () when it has none.
sub doc_setup
{
	my ($text) = @_;
	return () unless $text =~ /<!-- examples: (\w+)(?: as_of=(\d{4}-\d\d-\d\d))?([^>]*)-->/;
	my ($setup, $as_of, $rest) = ($1, $2, $3);
	my ($varies) = $rest =~ /output varies\s+(\S.*?)\s*$/;
	return ($setup, $as_of, $varies);
}

# Every fenced block of a page: { line, info, text, options }.
sub doc_blocks
{
	my ($text) = @_;
	my @blocks;
	my @lines = split /\n/, $text, -1;
	my $pending = '';
	for (my $i = 0; $i < @lines; $i++)
	{
		if ($lines[$i] =~ /^<!-- example: (.*?) -->$/)
		{
			$pending = $1;
			next;
		}
		next unless $lines[$i] =~ /^```(\w*)\s*$/;
		my ($info, $start) = ($1, $i + 1);
		my @body;
		for ($i++; $i < @lines && $lines[$i] !~ /^```\s*$/; $i++)
		{
			push @body, $lines[$i];
		}
		my %opt;
		# skip takes the rest of the comment as its reason
		my @options = $pending =~ /^skip\s/ ? ($pending) : split /;\s*/, $pending;
		for my $o (@options)
		{
			$opt{skip} = $1 if $o =~ /^skip\s+(\S.*)$/;
			$opt{as} = $1 if $o =~ /^as\s+(\w+)$/;
			$opt{varies} = $1 if $o =~ /^output varies\s+(\S.*)$/;
			$opt{fails} = $1 if $o =~ /^fails\s+(\w{5})$/;
			$opt{bad} = $o if $o !~ /^(?:skip\s+\S|as\s+\w+$|output varies\s+\S|fails\s+\w{5}$)/;
		}
		$pending = '';
		push @blocks, { line => $start, info => $info, text => join("\n", @body), opt => \%opt };
	}
	return @blocks;
}

# What kind of block: sql, client, or undef (not an example).
sub block_kind
{
	my ($b) = @_;
	my ($first) = grep { /\S/ && !/^--\s/ } split /\n/, $b->{text};
	return 'sql' if $b->{info} eq 'sql';
	return undef unless defined $first && $b->{info} eq '';
	return 'sql' if $first =~ $keyword;
	return 'client' if $first =~ /^(\w+)=[>#] / || $first =~ /^\$ (?:issuelist|cat|truncate)\b/;
	return undef;
}

# A cluster for the examples, with template databases for each setup and
# the logins.  as_of: the demo's day.
sub docs_node
{
	my ($name) = @_;
	return utf8_node($name);
}

my %made;

# The template database of a setup (made once).
sub template
{
	my ($node, $setup, $as_of) = @_;
	my $db = $setup eq 'demo' ? "t_demo_" . ($as_of =~ s/-//gr) : "t_$setup";
	return $db if $made{$db}++;
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	return $db if $setup eq 'bare';
	my $sql = "SET client_min_messages = warning;\nCREATE EXTENSION issuelist CASCADE;\n";
	# the logins, once the extension has made the roles (they are the
	# cluster's)
	$sql .= join '', map {
		"SELECT format('CREATE ROLE %I LOGIN IN ROLE %I', '$_->[0]', '$_->[1]')"
		  . " WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$_->[0]') \\gexec\n"
	} @logins;
	if ($setup ne 'empty')
	{
		$sql .= "SELECT issuelist.load_sample_province();\n";
		$sql .= join '', map { "SELECT issuelist.grant_org('$_->[0]', '$_->[2]');\n" }
		  grep { defined $_->[2] } @logins;
	}
	if ($setup eq 'demo')
	{
		# client/demo's data, but its six quarters are the complete ones
		# before as_of, all frozen: the sample stops at the day it is made
		# (a quarter still running would grow from one day to the next), so
		# only complete quarters give the same data every day
		$sql .= qq{
SELECT issuelist.generate_sample_issues(issuelist.quarter('$as_of'::date) OPERATOR(issuelist.-) 6,
	issuelist.quarter('$as_of'::date) OPERATOR(issuelist.-) 1, 4000, 2021);
SELECT count(issuelist.freeze_quarter(q))
  FROM issuelist.quarters(issuelist.quarter('$as_of'::date) OPERATOR(issuelist.-) 6,
						  issuelist.quarter('$as_of'::date) OPERATOR(issuelist.-) 1) q;
};
	}
	$node->safe_psql($db, $sql);
	return $db;
}

# Split a SQL block into statements: { sql, login, want (lines) }.
sub sql_statements
{
	my ($b) = @_;
	my (@st, $cur, $login);
	my @lines = split /\n/, $b->{text};
	for (my $i = 0; $i < @lines; $i++)
	{
		my $l = $lines[$i];
		if ($l =~ $keyword)
		{
			my @sql = ($l);
			while ($sql[-1] !~ /^\\/ && ($sql[-1] =~ s/\s*--.*$//r) !~ /(?:;|\\\w+.*)\s*$/ && $i + 1 < @lines)
			{
				push @sql, $lines[++$i];
			}
			my $text = join "\n", @sql;
			my $as = $b->{opt}{as} // $login;
			$as = $1 if $text =~ /--\s*(\w+)/ && $is_login{$1};
			$cur = { sql => $text, login => $as, want => [] };
			push @st, $cur;
			next;
		}
		if ($l =~ /^--\s*as\s+(\w+)\s*$/ && $is_login{$1})
		{
			$login = $1;
			next;
		}
		if ($l =~ /^--\s*((?:ERROR|HINT|NOTICE|DETAIL|WARNING):.*)$/)
		{
			# what a statement says, in a comment: its messages, not its rows
			push @{ $cur->{want} }, $1 if $cur;
			$cur->{messages_only} = 1 if $cur;
			next;
		}
		next if $l =~ /^--\s/ || !$cur;    # a comment (not a table's rule)
		push @{ $cur->{want} }, $l;
		push @{ $cur->{at} }, $i;
	}
	return @st;
}

# Lines as compared: white space folded, table cells trimmed, no row
# counts or timings; NOTICE lines kept only when keep_notices.
sub normal
{
	my ($keep_notices, @lines) = @_;
	my @out;
	for my $l (@lines)
	{
		next if $l =~ /^\(\d+ rows?\)$/ || $l =~ /^Time: / || $l !~ /\S/;
		next if $l =~ /^(?:NOTICE|DETAIL|WARNING):/ && !$keep_notices;
		# the fields psql's VERBOSITY verbose adds
		next if $l =~ /^(?:LOCATION|SCHEMA NAME|TABLE NAME|COLUMN NAME|DATA TYPE NAME|CONSTRAINT NAME):/;
		$l =~ s/^\s+|\s+$//g;
		if ($l =~ /^[-+]+$/)
		{
			$l = '---';
		}
		elsif ($l =~ /\|/ && $l !~ /^(?:ERROR|HINT|DETAIL|NOTICE):/)
		{
			$l = join ' | ', map { s/^\s+|\s+$//gr } split /\|/, $l, -1;
		}
		$l =~ s/\s+/ /g;
		push @out, $l;
	}
	return @out;
}

# Does got match want, where a want line "..." stands for any lines?
sub matches
{
	my ($want, $got) = @_;
	my @w = @$want;
	my @g = @$got;
	return !@g if !@w;
	my $first = shift @w;
	if ($first eq '...')
	{
		for my $k (0 .. @g)
		{
			return 1 if matches(\@w, [ @g[ $k .. $#g ] ]);
		}
		return 0;
	}
	return 0 if !@g || shift(@g) ne $first;
	return matches(\@w, \@g);
}

# The error of an output, its SQLSTATE and the lines with the code taken
# out of them (psql's VERBOSITY verbose writes "ERROR:  42501: ...").
sub strip_codes
{
	my (@lines) = @_;
	my $code;
	for (@lines)
	{
		s/^psql:[^:]*:\d+: //;
		if (/^(ERROR|WARNING|NOTICE):\s+([0-9A-Z]{5}): /)
		{
			$code //= $2 if $1 eq 'ERROR';
			s/^(\w+):\s+[0-9A-Z]{5}: /$1:  /;
		}
	}
	return ($code, @lines);
}

# Compare one statement's or command's output with the page; one test.
sub compare
{
	my ($what, $b, $want, $got, $code) = @_;
	local $Test::Builder::Level = $Test::Builder::Level + 2;
	my @want = @$want;
	my ($want_code) = map { /^(?:\S+: )?ERROR:\s+([0-9A-Z]{5}): / ? $1 : () } @want;
	s/^(\S+: )?(ERROR|WARNING|NOTICE):\s+[0-9A-Z]{5}: /($1 \/\/ '') . "$2:  "/e for @want;
	my $notices = grep { /^(?:NOTICE|DETAIL):/ } @want;
	my $hints = grep { /^HINT:/ } @want;
	my @w = normal($notices, @want);
	my @g = normal($notices, @$got);
	# a page that shows an error without its hint leaves the hint out
	@g = grep { !/^HINT:/ } @g unless $hints;
	my $fails = grep { /^ERROR:/ } @w;
	if ($b->{opt}{varies} || !@w)
	{
		# only the errors, numbers masked; no output shown: none expected
		my $mask = sub { map { s/\d+/N/gr } grep { /^(?:ERROR|HINT):/ } @_ };
		@w = $mask->(@w);
		@g = $mask->(@g);
	}
	my $ok = matches(\@w, \@g);
	$ok &&= !$fails || !$b->{opt}{fails} || ($code // '') eq $b->{opt}{fails};
	$ok &&= !$want_code || ($code // '') eq $want_code;
	ok($ok, "$what") or diag("the page shows:\n" . join("\n", @$want)
		  . "\nit prints" . ($code ? " (SQLSTATE $code)" : '') . ":\n" . join("\n", @$got));
	return $ok;
}

# Run every example of a page of docs/ in a new database of its setup.
sub run_doc_page
{
	my ($node, $page) = @_;
	my $text = slurp_file("$ENV{ISSUELIST_TOP}/docs/$page");
	my ($setup, $as_of, $varies) = doc_setup($text);
	return if ($setup // '') eq 'elsewhere';
	my @blocks = doc_blocks($text);
	$_->{opt}{varies} //= $varies for grep { defined $varies } @blocks;
	for my $b (grep { $_->{opt}{bad} } @blocks)
	{
		fail("$page:$b->{line}: an example option is \"$b->{opt}{bad}\"");
	}
	my @run = grep { !$_->{opt}{skip} } @blocks;
	# a block tagged sh, ini... is not SQL by its tag; an untagged one
	# says so
	for my $b (grep { !defined block_kind($_) && $_->{info} eq '' } @run)
	{
		fail("$page:$b->{line}: a block that is neither SQL nor the client's is marked <!-- example: skip WHY -->");
	}
	@run = grep { defined block_kind($_) } @run;
	if (!defined $setup)
	{
		ok(!@run, "$page: no examples, or <!-- examples: SETUP --> says how they run");
		return;
	}
	die "$page: unknown setup $setup" unless $setup =~ /^(?:bare|empty|province|demo)$/;
	die "$page: the demo needs as_of" if $setup eq 'demo' && !$as_of;
	(my $db = "p_$page") =~ s/\W/_/g;
	$node->safe_psql('postgres', "DROP DATABASE IF EXISTS $db");
	$node->safe_psql('postgres', "CREATE DATABASE $db TEMPLATE " . template($node, $setup, $as_of));

	# The SQL of the page in one session, in order, each statement after a
	# marker, as its login; the client's commands one by one.
	my (@steps, $script);
	$script = "\\set VERBOSITY verbose\n\\set SHOW_CONTEXT never\nSET search_path = issuelist, public;\nSET datestyle = ISO;\n";
	my $day = $as_of;
	my @pending;
	my $flush = sub {
		return unless @pending;
		my $out = '';
		IPC::Run::run([ 'psql', '-X', '-q', '-d', $node->connstr($db), '-f', '-' ],
			'<', \$script, '>&', \$out);
		my %got;
		my $n;
		for (split /\n/, $out)
		{
			if (/^<<<(\d+)>>>$/) { $n = $1; $got{$n} = []; next }
			push @{ $got{$n} }, $_ if defined $n;
		}
		for my $s (@pending)
		{
			my ($code, @lines) = strip_codes(@{ $got{ $s->{n} } // [] });
			my ($title) = $s->{sql} =~ /^(.{0,70})/;
			@lines = grep { /^(?:ERROR|HINT|NOTICE|DETAIL|WARNING):/ } @lines if $s->{messages_only};
			my $ok = compare("$page:$s->{b}{line}: $title", $s->{b}, $s->{want}, \@lines, $code);
			# rows the page shows, where they differ: for update_page
			if (!$ok && !$code && !$s->{messages_only} && !$s->{b}{opt}{varies} && $s->{at})
			{
				my ($from, $to) = ($s->{at}[0], $s->{at}[-1]);
				$to-- while $to > $from && $s->{want}[ $to - $from ] eq '';
				push @{ $s->{b}{updates} },
				  [ $from, $to - $from + 1, [ @{ $s->{want} }[ 0 .. $to - $from ] ], \@lines ];
			}
		}
		@pending = ();
		$script = '';
	};
	my $n = 0;
	for my $b (@run)
	{
		if (block_kind($b) eq 'sql')
		{
			for my $s (sql_statements($b))
			{
				$n++;
				$script .= "\\echo <<<$n>>>\n";
				$script .= "SET SESSION AUTHORIZATION $s->{login};\n" if $s->{login};
				$script .= "$s->{sql}\n";
				$script .= "RESET SESSION AUTHORIZATION;\n" if $s->{login};
				push @pending, { %$s, n => $n, b => $b };
			}
			next;
		}
		$flush->();
		run_client_block($node, $db, $page, $b, \$day);
	}
	$flush->();
	update_page($page, @run) if $ENV{ISSUELIST_DOCS_UPDATE};
}

# The client's lines of a block, each run on its own.
sub run_client_block
{
	my ($node, $db, $page, $b, $day) = @_;
	my @lines = split /\n/, $b->{text};
	my $last_rc;
	# the client runs in a directory of its own: the files the page shows,
	# and those the commands write
	my $dir = PostgreSQL::Test::Utils::tempdir();
	my %vars;
	for (my $i = 0; $i < @lines; $i++)
	{
		my ($login, $args, $title);
		if ($lines[$i] =~ /^(\w+)=[>#] (.*)$/)
		{
			my ($prompt, $command) = ($1, $2);
			die "$page:$b->{line}: unknown prompt $prompt" unless exists $prompt_login{$prompt};
			if ($command =~ /^\\set AS_OF (\S+)$/)
			{
				$$day = $1;
				next;
			}
			if ($command =~ /^\\unset AS_OF$/)
			{
				$$day = undef;
				next;
			}
			# the client's other variables (LATE_REASON...), for the
			# commands that follow
			if ($command =~ /^\\set (\w+) '?(.*?)'?$/)
			{
				$vars{$1} = $2;
				next;
			}
			if ($command =~ /^\\unset (\w+)$/)
			{
				delete $vars{$1};
				next;
			}
			$login = $prompt_login{$prompt};
			$args = [ '-X', '-c', $command ];
			$title = $command;
		}
		elsif ($lines[$i] =~ /^\$ cat (\S+)$/)
		{
			# a file the page shows: the commands that follow read it
			my $file = "$dir/$1";
			my @content;
			push @content, $lines[ ++$i ] while $i + 1 < @lines && $lines[ $i + 1 ] !~ /^(?:\w+=[>#] |\$ )/;
			pop @content while @content && $content[-1] eq '';
			open my $fh, '>', $file or die "$file: $!";
			print $fh map { "$_\n" } @content;
			close $fh;
			next;
		}
		elsif ($lines[$i] =~ /^\$ truncate -s (\d+)M "?([^"]+)"?$/)
		{
			# a large file the page makes
			open my $fh, '>', "$dir/$2" or die "$dir/$2: $!";
			truncate $fh, $1 * 1024 * 1024;
			close $fh;
			next;
		}
		elsif ($lines[$i] =~ /^\$ echo \$\?$/)
		{
			my $want = $lines[ ++$i ];
			is($last_rc, $want, "$page:$b->{line}: exit code $want");
			next;
		}
		elsif ($lines[$i] =~ /^\$ issuelist (.*)$/)
		{
			# a service the page names is the test's database
			$args = [ '-X', grep { !/^service=/ } shellwords($1) ];
			$title = "issuelist $1";
		}
		else
		{
			next;
		}
		my @want;
		my $first = $i + 1;
		push @want, $lines[ ++$i ] while $i + 1 < @lines && $lines[ $i + 1 ] !~ /^(?:\w+=[>#] |\$ )/;
		# a blank line before the next command is the page's, not the output's
		my $shown = @want;
		$shown-- while $shown > 0 && $want[ $shown - 1 ] eq '';
		my $conn = $node->connstr($db) . ($login ? " user=$login" : '');
		my ($out, $in) = ('', '');
		local $ENV{ISSUELISTRC} = '/dev/null';
		local $ENV{PGDATABASE} = $db;
		local $ENV{PGHOST} = $node->host;
		local $ENV{PGPORT} = $node->port;
		local $ENV{PGUSER} = $login if $login;
		eval {
			IPC::Run::run([ $ENV{ISSUELIST_CLIENT}, @$args, ($$day ? ('-v', "AS_OF=$$day") : ()),
					(map { ('-v', "$_=$vars{$_}") } sort keys %vars),
					(grep { /=/ } @$args) ? () : ($conn) ],
				init => sub { chdir $dir or die $! },
				'<', \$in, '>&', \$out, IPC::Run::timeout(60));
		};
		$out .= "(the client did not run: $@)\n" if $@;
		$last_rc = $? >> 8;
		my @got = split /\n/, $out;
		my @raw = @got;
		my ($code) = map { /^(?:\S+: )?ERROR:\s+([0-9A-Z]{5}): / ? $1 : () } @got;
		s/^(\S+: )?(ERROR|WARNING|NOTICE):\s+[0-9A-Z]{5}: /$1$2:  /g for @got;
		my $ok = compare("$page:$b->{line}: $title", $b, \@want, \@got, $code);
		push @{ $b->{updates} }, [ $first, $shown, \@want, \@raw ] if !$ok && !$b->{opt}{varies};
	}
}

# ISSUELIST_DOCS_UPDATE=1: write what the client printed into the page,
# keeping the page's elisions ("..."): as many lines before and after it as
# the page showed.  Read the diff before committing it.
sub update_page
{
	my ($page, @blocks) = @_;
	my $path = "$ENV{ISSUELIST_TOP}/docs/$page";
	my @text = split /\n/, slurp_file($path), -1;
	my @edits = sort { $b->[0] <=> $a->[0] }
	  map { my $b = $_; map { [ $b->{line} + $_->[0], @$_[ 1 .. 3 ] ] } @{ $b->{updates} // [] } } @blocks;
	for my $e (@edits)
	{
		my ($at, $count, $want, $got) = @$e;
		my @got = grep { !/^\(the client did not run/ } @$got;
		s/\s+$// for @got;
		pop @got while @got && $got[-1] eq '';
		my ($cut) = grep { $want->[$_] eq '...' || $want->[$_] =~ /^\s+\.\.\.\s*$/ } 0 .. $#$want;
		if (defined $cut && @got > $count)
		{
			my $after = $count - $cut - 1;
			@got = (@got[ 0 .. $cut - 1 ], $want->[$cut], $after > 0 ? @got[ $#got - $after + 1 .. $#got ] : ());
		}
		splice @text, $at, $count, @got;
	}
	return unless @edits;
	open my $fh, '>', $path or die "$path: $!";
	print $fh join "\n", @text;
	close $fh;
}

# Words of a shell command line, quotes removed.
sub shellwords
{
	my ($line) = @_;
	my @w;
	while ($line =~ /\G\s*(?:'([^']*)'|"([^"]*)"|(\S+))/gc)
	{
		push @w, $1 // $2 // $3;
	}
	return grep { !/^[<>|]/ } @w;
}

1;
