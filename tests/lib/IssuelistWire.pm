# IssuelistWire: a minimal client of the PostgreSQL v3 protocol for the
# reliability tests.  It exists because the fuzzers need what neither psql
# nor SQL can give: a value sent as a *binary* parameter reaches the type's
# receive function (tally_recv, quarter_recv...), which SQL cannot call, and
# thousands of calls pipelined over one connection, each in its own implicit
# transaction with its own SQLSTATE, take seconds instead of minutes.
#
# Only what the tests need: trust authentication over a Unix socket (what
# PostgreSQL::Test::Cluster sets up), the simple query protocol for set-up,
# and one prepared statement executed many times with text or binary
# parameters.
package IssuelistWire;

use strict;
use warnings;
use IO::Select;
use IO::Socket::UNIX;
use Carp;

# Connect to the server listening on the Unix socket directory $host, port
# $port, as $user to $db.
sub connect
{
	my ($class, %o) = @_;
	my $path = "$o{host}/.s.PGSQL.$o{port}";
	my $sock = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path)
	  or croak "cannot connect to $path: $!";
	binmode $sock;
	$sock->blocking(0);
	my $self = bless { sock => $sock, buf => '' }, $class;
	my $params = join('', map { "$_\0$o{params}{$_}\0" } sort keys %{ $o{params} || {} });
	my $body = pack('N', 196608) . "user\0$o{user}\0database\0$o{db}\0$params\0";
	$self->_write(pack('N', 4 + length $body) . $body);
	while (1)
	{
		my ($type, $msg) = $self->_read_message;
		croak 'server closed the connection during startup' unless defined $type;
		if ($type eq 'R')
		{
			my $code = unpack('N', $msg);
			croak "authentication method $code is not supported (trust only)" if $code != 0;
		}
		elsif ($type eq 'E')
		{
			my $e = _fields($msg);
			croak "connection refused: $e->{C} $e->{M}";
		}
		elsif ($type eq 'Z')
		{
			last;
		}
		# 'S' parameter status, 'K' backend key, 'N' notices: not needed.
	}
	return $self;
}

# Whether the connection is still open (false once the server went away).
sub alive { return defined $_[0]->{sock}; }

# Write everything, reading whatever the server sends meanwhile into the
# buffer: a pipeline of many calls must never block on a full socket while
# the server blocks on its replies.
sub _write
{
	my ($self, $data) = @_;
	croak 'connection lost' unless $self->{sock};
	my $off = 0;
	my $sel = IO::Select->new($self->{sock});
	while ($off < length $data)
	{
		my ($r, $w) = IO::Select->select($sel, $sel, undef);
		if ($r && @$r)
		{
			my $n = sysread($self->{sock}, $self->{buf}, 65536, length $self->{buf});
			if (defined $n && $n == 0 || !defined $n && !$!{EAGAIN} && !$!{EINTR})
			{
				$self->{sock} = undef;
				croak 'connection lost';
			}
		}
		next unless $w && @$w;
		my $n = syswrite($self->{sock}, $data, length($data) - $off, $off);
		if (!defined $n)
		{
			next if $!{EINTR} || $!{EAGAIN};
			$self->{sock} = undef;
			croak "connection lost: $!";
		}
		$off += $n;
	}
	return;
}

# The next message as (type, body), or () when the server closed the socket.
sub _read_message
{
	my ($self) = @_;
	while (1)
	{
		if (length $self->{buf} >= 5)
		{
			my ($type, $len) = unpack('a N', $self->{buf});
			if (length $self->{buf} >= 1 + $len)
			{
				my $msg = substr($self->{buf}, 5, $len - 4);
				substr($self->{buf}, 0, 1 + $len) = '';
				return ($type, $msg);
			}
		}
		return () unless $self->{sock};
		my $n = sysread($self->{sock}, $self->{buf}, 65536, length $self->{buf});
		if (!defined $n)
		{
			if ($!{EINTR} || $!{EAGAIN})
			{
				IO::Select->new($self->{sock})->can_read;
				next;
			}
			$n = 0;
		}
		if ($n == 0)
		{
			$self->{sock} = undef;
			return ();
		}
	}
}

# The fields of an ErrorResponse or NoticeResponse: C (SQLSTATE), M, D, H...
sub _fields
{
	my ($msg) = @_;
	my %f;
	while ($msg =~ /\G([^\0])([^\0]*)\0/gc)
	{
		$f{$1} = $2;
	}
	return \%f;
}

# Run SQL with the simple query protocol; returns the rows (arrays of
# strings, undef for NULL) of the last result, or dies with the SQLSTATE and
# message of the first error.
sub query
{
	my ($self, $sql) = @_;
	$self->_write('Q' . pack('N', 4 + length($sql) + 1) . $sql . "\0");
	my (@rows, $error);
	while (1)
	{
		my ($type, $msg) = $self->_read_message;
		croak 'connection lost' unless defined $type;
		if ($type eq 'T') { @rows = (); }
		elsif ($type eq 'D') { push @rows, _datarow($msg); }
		elsif ($type eq 'E') { $error ||= _fields($msg); }
		elsif ($type eq 'Z') { last; }
	}
	croak "$error->{C}: $error->{M}" if $error;
	return \@rows;
}

sub _datarow
{
	my ($msg) = @_;
	my $n = unpack('n', $msg);
	my $off = 2;
	my @row;
	for (1 .. $n)
	{
		my $len = unpack('l>', substr($msg, $off, 4));
		$off += 4;
		if ($len < 0)
		{
			push @row, undef;
			next;
		}
		push @row, substr($msg, $off, $len);
		$off += $len;
	}
	return \@row;
}

# Prepare the unnamed statement $sql with parameter types @$oids (0: let
# the server infer).
sub prepare
{
	my ($self, $sql, $oids) = @_;
	my $body = "\0$sql\0" . pack('n', scalar @$oids) . join('', map { pack('N', $_) } @$oids);
	$self->_write('P' . pack('N', 4 + length $body) . $body . 'S' . pack('N', 4));
	my $error;
	while (1)
	{
		my ($type, $msg) = $self->_read_message;
		croak 'connection lost' unless defined $type;
		$error ||= _fields($msg) if $type eq 'E';
		last if $type eq 'Z';
	}
	croak "prepare failed: $error->{C}: $error->{M}" if $error;
	return;
}

# Execute the prepared statement once per element of @$calls (each an array
# of parameter values, undef for NULL), every call in its own implicit
# transaction (a Sync after each), pipelined in chunks.  $format is 0 (text)
# or 1 (binary) for every parameter.  Returns one result per call:
# { ok => 1, rows => [...] } or { sqlstate => ..., message => ... }; when
# the server goes away the remaining calls get { lost => 1 }.
sub run_many
{
	my ($self, $calls, $format, $chunk) = @_;
	$chunk ||= 64;
	my @results;
	for (my $i = 0; $i < @$calls; $i += $chunk)
	{
		my $end = $i + $chunk - 1;
		$end = $#$calls if $end > $#$calls;
		my $out = '';
		for my $params (@$calls[ $i .. $end ])
		{
			my $body = "\0\0" . pack('n n', 1, $format) . pack('n', scalar @$params);
			for my $param (@$params)
			{
				# Perl character strings go out as UTF-8; byte strings as they are.
				my $v = $param;
				utf8::encode($v) if defined $v && utf8::is_utf8($v);
				$body .= defined $v ? pack('N', length $v) . $v : pack('l>', -1);
			}
			$body .= pack('n n', 1, 0);    # results in text
			$out .= 'B' . pack('N', 4 + length $body) . $body;
			$out .= 'E' . pack('N', 9) . "\0" . pack('N', 0);
			$out .= 'S' . pack('N', 4);
		}
		if (!eval { $self->_write($out); 1 })
		{
			push @results, { lost => 1 } for $i .. $#$calls;
			return \@results;
		}
		for ($i .. $end)
		{
			my ($rows, $error) = ([], undef);
			while (1)
			{
				my ($type, $msg) = $self->_read_message;
				if (!defined $type)
				{
					push @results, { lost => 1 } while @results < @$calls;
					return \@results;
				}
				if ($type eq 'D') { push @$rows, _datarow($msg); }
				elsif ($type eq 'E') { $error ||= _fields($msg); }
				elsif ($type eq 'Z') { last; }
			}
			push @results,
			  $error
			  ? { sqlstate => $error->{C}, message => $error->{M} }
			  : { ok => 1, rows => $rows };
		}
	}
	return \@results;
}

sub close
{
	my ($self) = @_;
	if ($self->{sock})
	{
		eval { $self->_write('X' . pack('N', 4)); };
		close $self->{sock} if $self->{sock};
		$self->{sock} = undef;
	}
	return;
}

sub DESTROY { $_[0]->close; }

1;
