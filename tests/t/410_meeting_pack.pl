# The meeting pack (pack QUARTER [DIR] [topic LIST...] [--pdf FILE]) on the
# sample province with published quarters: its numbers are those rank,
# report, trend and meeting print; rendered in headless Chromium, the
# ranking has the 90 counties and every chart draws its data points;
# screenshots of the front page and of a county's page are PNG files; the
# PDF has a page per county.  A county with no issues gets a line saying so,
# not an empty chart; a quarter not published, a bad quarter, a directory
# that cannot be written and a missing gnuplot or Chromium are refused with
# a message naming them, and leave no pack behind.
use strict;
use warnings;
use Encode qw(decode);
use JSON::PP;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time);
use IssuelistClient;

my @chromium_flags = qw(--headless --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --hide-scrollbars);
push @chromium_flags, '--no-sandbox' if $> == 0;
my ($chromium) = grep { -x } map { "$_/chromium" } split /:/, $ENV{PATH};
my ($gnuplot) = grep { -x } map { "$_/gnuplot" } split /:/, $ENV{PATH};
plan skip_all => 'gnuplot and chromium are not installed (Debian: gnuplot-nox, chromium)'
  unless $chromium && $gnuplot;

my $node = PostgreSQL::Test::Cluster->new('pack');
$node->init(extra => [ '--locale=C.UTF-8', '--encoding=UTF8' ]);
$node->append_conf('postgresql.conf', "timezone = 'UTC'\nfsync = off\n");
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE province');
# Four published quarters of the sample province; then a county with no
# issues, which the next published quarter has among its counties.
$node->safe_psql('province', q{
	SET client_min_messages = warning;
	CREATE EXTENSION issuelist CASCADE;
	SELECT issuelist.load_sample_province();
	SELECT issuelist.generate_sample_issues('2021Q1', '2021Q4', 1000, 42);
	SELECT issuelist.freeze_quarter(q) FROM issuelist.quarters('2021Q1', '2021Q4') q;
	SELECT issuelist.add_org('330799', 'Kongxian', '330700', 'county', '空县');
	SELECT issuelist.freeze_quarter('2022Q1');
});
my $conn = $node->connstr('province');
my $dir = PostgreSQL::Test::Utils::tempdir;
my $json = JSON::PP->new->utf8;

sub client { return run_client([ $conn, '-X', @_ ]) }

# The rows of a command's json output.
sub rows
{
	my ($rc, $out, $err) = client('--json', @_);
	is($rc, 0, "$_[-1] runs") or diag($err);
	return $json->decode($out || '[]');
}

# A cell's text, without its markup.
sub text
{
	my ($html) = @_;
	$html =~ s/<[^>]*>//g;
	$html =~ s/&lt;/</g;
	$html =~ s/&gt;/>/g;
	$html =~ s/&quot;/"/g;
	$html =~ s/&amp;/&/g;
	return $html;
}

# The rows of a table of the page: a list of [cells] with the row's tag.
sub table_rows
{
	my ($html) = @_;
	my @rows;
	while ($html =~ m{<tr([^>]*)>(.*?)</tr>}gs)
	{
		my ($attrs, $row) = ($1, $2);
		next if $row =~ /<th>/;
		push @rows, { attrs => $attrs, cells => [ map { text($_) } $row =~ m{<td[^>]*>(.*?)</td>}gs ] };
	}
	return @rows;
}

# Two values alike: numbers by value (35.30 is 35.3), the rest as text.
sub same
{
	my ($x, $y) = @_;
	$x = '' unless defined $x;
	$y = '' unless defined $y;
	my $number = qr/^-?\d+(?:\.\d+)?$/;
	return $x =~ $number && $y =~ $number ? $x == $y : $x eq $y;
}

# --- the pack of 2021Q4, printed ------------------------------------------

my $start = time;
my ($rc, $out, $err) = client('-c', "pack 2021Q4 $dir/pack --pdf $dir/pack.pdf");
my $seconds = time - $start;
is($rc, 0, 'pack 2021Q4 with --pdf runs') or diag($err);
like($out, qr{^\Q$dir\E/pack/pack-2021Q4\.html: 2021Q4, the province and 90 counties, \d+ charts$}m,
	'it says what it wrote');
like($out, qr{^\Q$dir\E/pack\.pdf: printed$}m, 'and that it printed the PDF');
note(sprintf('pack and PDF in %.1f s', $seconds));
my $file = "$dir/pack/pack-2021Q4.html";
my $page = decode('UTF-8', slurp_file($file));
unlike($page, qr/<script|\bsrc=|href="https?:/i, 'the pack fetches nothing and runs nothing');

my $pdf = slurp_file("$dir/pack.pdf");
like($pdf, qr/^%PDF-/, 'the PDF is a PDF');
my $pages = () = $pdf =~ m{/Type\s*/Page\b(?!s)}g;
cmp_ok($pages, '>=', 92, "the PDF has the front page, the province and a page per county ($pages pages)");

# The page's sections.
my %section;
while ($page =~ m{<section class="page (\w+)" id="([^"]+)"[^>]*>(.*?)</section>}gs)
{
	$section{$2} = $3;
}
ok($section{front} && $section{province}, 'the front page and the province\'s page are there');

# --- the numbers are rank's, report's, trend's and meeting's ------------------

my ($ranking) = $section{front} =~ m{<table class="ranking">(.*?)</table>}s;
my @ranked = table_rows($ranking);
is(scalar @ranked, 90, 'the ranking has the 90 counties');
my $rank = rows('-c', 'rank 2021Q4');
is(scalar @$rank, 90, 'as rank has');
my @columns = qw(rank name name_zh score deductions on_time_rate open overdue rank_change mark);
my $differ = 0;
for my $i (0 .. $#$rank)
{
	my ($org) = $ranked[$i]{attrs} =~ /data-org="(\d+)"/;
	my @want = ($rank->[$i]{org}, map { $rank->[$i]{$_} } @columns);
	my @got = ($org, @{ $ranked[$i]{cells} }[ 0 .. $#columns ]);
	next if !grep { !same($want[$_], $got[$_]) } 0 .. $#want;
	diag("rank row $i: rank prints @want, the pack @got") if $differ++ < 3;
}
is($differ, 0, 'every row of the ranking is rank\'s, in its order, marks included');
my @county_pages = grep { /^c\d+$/ } keys %section;
is(scalar @county_pages, 90, 'a page per county');
is(scalar(grep { !$section{"c$_->{org}"} } @$rank), 0, 'each county of the ranking has its page');

my $meeting = rows('-c', 'meeting 2021Q4');
my ($presenters, $supervision) = $section{front} =~ m{<table class="meeting">(.*?)</table>.*?<table class="meeting">(.*?)</table>}s;
for ([ presenter => $presenters ], [ supervision => $supervision ])
{
	my ($flag, $html) = @$_;
	my @want = map { "$_->{org} $_->{official_name}" } grep { $_->{$flag} } @$meeting;
	my @got = map { my ($o) = $_->{attrs} =~ /data-org="(\d+)"/; "$o $_->{cells}[3]" } table_rows($html);
	is_deeply(\@got, \@want, "the ${flag}s and their secretaries are meeting's");
}
like($section{front}, qr/Topic of the meeting: all lists\./, 'the topic is named');

# Counties: the first, the last, and one with a veto when there is one.
my @sample = ($rank->[0], $rank->[-1], (grep { $_->{mark} eq 'VETO' } @$rank)[0] // $rank->[45]);
for my $county (@sample)
{
	my $org = $county->{org};
	my $html = $section{"c$org"};
	my ($rc, $out, $err) = client('--json', '-c', "report $org 2021Q4");
	is($rc, 0, "report $org 2021Q4 runs") or diag($err);
	my $report = $json->decode($out);
	my $summary = $report->{summary}[0];
	my ($head) = $html =~ m{<table class="summary">(.*?)</table>}s;
	my @got = @{ (table_rows($head))[0]{cells} };
	my @want = ('2021Q4', @$summary{qw(rank peers score deductions on_time_rate open overdue rank_change)});
	ok(!grep({ !same($want[$_], $got[$_]) } 0 .. $#want), "$org: the page's head is report's summary")
	  or diag("report: @want\npack:   @got");

	my ($lists) = $html =~ m{<table class="lists">(.*?)</table>}s;
	my @want_lists = map { join ' ', @$_{qw(list name_zh open overdue)}, $_->{closed_on_time} + $_->{closed_late}, $_->{deductions} + 0 } @{ $report->{lists} };
	my @got_lists = map { my @c = @{ $_->{cells} }; $c[5] += 0; join ' ', @c } table_rows($lists);
	is_deeply(\@got_lists, \@want_lists, "$org: the lists' counts and deductions are report's");

	my @want_overdue = map { $_->{code} } @{ $report->{oldest_overdue} };
	my ($overdue) = $html =~ m{<table class="overdue">(.*?)</table>}s;
	my @got_overdue = map { $_->{cells}[0] } table_rows($overdue // '');
	is_deeply(\@got_overdue, \@want_overdue, "$org: the oldest overdue issues are report's");
	like($html, qr/class="note no-overdue">None\./, "$org: none overdue is said") if !@want_overdue;

	# trend as of the day after the quarter: its window ends with 2021Q4
	($rc, $out, $err) = client('--json', '-v', 'AS_OF=2022-01-01', '-c', "trend $org");
	is($rc, 0, "trend $org runs") or diag($err);
	my @want_trend = map { join ' ', map { $_ // '' } @$_{qw(quarter rank score deductions open overdue)} } @{ $json->decode($out) };
	my ($trend) = $html =~ m{<table class="trend">(.*?)</table>}s;
	my @got_trend = map { join ' ', map { /^\d+\.\d+$/ ? $_ + 0 : $_ } @{ $_->{cells} } } table_rows($trend);
	@want_trend = map { join ' ', map { /^\d+\.\d+$/ ? $_ + 0 : $_ } split / / } @want_trend;
	is_deeply(\@got_trend, \@want_trend, "$org: score and rank over the quarters are trend's");
}

# The province's counts by list are the sum of its cities'.
my ($open) = $section{province} =~ m{<table class="matrix" data-count="open">(.*?)</table>}s;
my @open = map { $_->{cells} } table_rows($open);
is(scalar @open, 12, 'open issues: the province and its 11 cities');
my @sum;
for my $city (@open[ 1 .. $#open ])
{
	$sum[$_] += $city->[ $_ + 2 ] for 0 .. 7;
}
is_deeply(\@sum, [ @{ $open[0] }[ 2 .. 9 ] ], 'the cities add up to the province, list by list');

# --- rendered in Chromium ---------------------------------------------------

my $profile = "$dir/chromium";
sub chromium
{
	my (@args) = @_;
	my ($out, $err) = ('', '');
	IPC::Run::run([ $chromium, @chromium_flags, "--user-data-dir=$profile", @args ],
		'<', \'', '>', \$out, '2>', \$err);
	return ($? >> 8, $out, $err);
}

$start = time;
my ($crc, $dom, $cerr) = chromium('--dump-dom', "file://$file");
$dom = decode('UTF-8', $dom);
is($crc, 0, 'Chromium renders the pack') or diag($cerr);
my @dom_rows = table_rows(($dom =~ m{<table class="ranking">(.*?)</table>}s)[0] // '');
is(scalar @dom_rows, 90, 'the rendered ranking has the 90 counties');
my @figures = $dom =~ m{(<figure class="chart".*?</figure>)}gs;
my $counties_with_trend = grep { /data-chart="trend"/ } @figures;
cmp_ok(scalar @figures, '>=', 3 + 90, 'the charts: the scores, the province\'s two, and the counties\'');
is($counties_with_trend, 90, 'every county has its trend chart');
my ($empty, $short) = (0, 0);
for my $figure (@figures)
{
	my ($kind, $points) = $figure =~ /data-chart="([^"]+)" data-points="(\d+)"/;
	# gnuplot draws a point as a <use> of its shape, a bar as a polygon
	my $marks = () = $figure =~ /<use [^>]*translate\(|<polygon /g;
	$empty++ if $points == 0 || $figure !~ /<svg/;
	if ($marks < $points)
	{
		diag("a $kind chart draws $marks marks for $points values") if $short++ < 3;
	}
}
is($empty, 0, 'no chart is empty');
is($short, 0, 'each chart draws a mark for each of its values');
my ($scores) = grep { /data-chart="scores"/ } @figures;
is(scalar(() = $scores =~ /<polygon /g), 90, 'the chart of scores has a bar per county');

my $county = $rank->[0]{org};
for ([ 'front', '' ], [ 'county', "#c$county" ])
{
	my ($name, $fragment) = @$_;
	my $png = "$dir/pack-$name.png";
	my ($src) = chromium('--window-size=1000,1400', "--screenshot=$png", "file://$file$fragment");
	is($src, 0, "a screenshot of the $name page");
	my $bytes = -e $png ? slurp_file($png) : '';
	like($bytes, qr/^\x89PNG\r\n\x1a\n/, "$name page: a PNG file");
	my ($w, $h) = length $bytes > 24 ? unpack('NN', substr($bytes, 16, 8)) : (0, 0);
	is("${w}x$h", '1000x1400', "$name page: the window's size");
	cmp_ok(length $bytes, '>', 30_000, "$name page: not blank");
}
note(sprintf('Chromium in %.1f s', time - $start));

# --- what is refused, and the county with no issues ---------------------------

($rc, $out, $err) = client('-c', "pack 2022Q1 $dir/empty");
is($rc, 0, 'pack 2022Q1 (a county without issues) runs') or diag($err);
my $empty_page = decode('UTF-8', slurp_file("$dir/empty/pack-2022Q1.html"));
my ($kongxian) = $empty_page =~ m{<section class="page county" id="c330799"[^>]*>(.*?)</section>}s;
like($kongxian, qr{class="note no-issues">Kongxian has no issues in the quarters up to 2022Q1: nothing to chart\.},
	'a county with no issues: a line says so');
unlike($kongxian, qr/<figure|<svg/, 'and no chart is drawn for it');
like($empty_page, qr{<tr class="[^"]*" data-org="330799">}, 'it is in the ranking');

($rc, $out, $err) = client('-c', "pack 2022Q2 $dir/unpublished");
is($rc, 1, 'a quarter not published: exit 1');
like($err, qr/ERROR:  IL023: quarter 2022Q2 is not published/, 'with IL023 naming it');
ok(!-e "$dir/unpublished/pack-2022Q2.html", 'and no pack');

($rc, $out, $err) = client('-c', "pack 2021Q5 $dir");
is($rc, 1, 'a bad quarter: exit 1');
like($err, qr/22P02: invalid input syntax for type quarter: "2021Q5"/, 'naming it');

mkdir "$dir/locked" or die $!;
chmod 0555, "$dir/locked";
SKIP:
{
	skip 'root writes anywhere', 2 if $> == 0;
	($rc, $out, $err) = client('-c', "pack 2021Q4 $dir/locked");
	is($rc, 1, 'a directory that cannot be written: exit 1');
	like($err, qr/pack: cannot write in directory "\Q$dir\E\/locked": Permission denied/, 'naming it');
}
($rc, $out, $err) = client('-c', "pack 2021Q4 $file");
is($rc, 1, 'a file for DIR: exit 1');
like($err, qr/pack: "\Q$file\E" is not a directory/, 'naming it');

($rc, $out, $err) = run_client([ $conn, '-X', '-c', "pack 2021Q4 $dir/nognuplot" ],
	env => { PATH => "$dir/nowhere" });
is($rc, 1, 'no gnuplot: exit 1');
like($err, qr/pack: cannot run gnuplot: No such file or directory \(Debian's package gnuplot-nox has it\)/,
	'saying which package has it');
ok(!-e "$dir/nognuplot/pack-2021Q4.html", 'and no pack');

mkdir "$dir/bin" or die $!;
symlink $gnuplot, "$dir/bin/gnuplot" or die $!;
($rc, $out, $err) = run_client([ $conn, '-X', '-c', "pack 2021Q4 $dir/nochromium --pdf $dir/x.pdf" ],
	env => { PATH => "$dir/bin" });
is($rc, 1, 'no Chromium for --pdf: exit 1');
like($err, qr/pack: cannot run chromium: No such file or directory \(Debian's package chromium has it\)/,
	'saying which package has it');

($rc, $out, $err) = client('-c', 'pack');
is($rc, 1, 'pack without a quarter: exit 1');
like($err, qr/pack: missing argument\nUsage: pack QUARTER/, 'with its usage');
($rc, $out, $err) = client('-c', 'pack 2021Q4 a b');
like($err, qr/pack: unexpected argument "b"/, 'a third word is refused');

$node->stop;
done_testing();
