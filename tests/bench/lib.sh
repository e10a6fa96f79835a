# Shared by the benchmark scripts (sourced, not run): messages, medians and
# timings through psql.  A script sets $runs before calling median_ms.

say() { printf '%s\n' "$*" >&2; }

# A statement's result in database $1, with the extension's schema first.
sql() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$1" -c "SET search_path = issuelist, public" -c "$2"; }

# The median of the numbers on standard input, one a line.
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Milliseconds, rounded, for a table.
ms() { awk -v a="$1" 'BEGIN { printf "%.0f ms", a }'; }

# The wall times in ms, one a line, that psql's \timing reports for the
# statements on standard input, run in database $1.
times_ms() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}

# Median wall time in ms of statement $3 in database $1 over $runs runs,
# after SQL $2 and a warm-up, in one session (the results are discarded).
median_ms() {
	local db=$1 setup=$2 stmt=$3 i
	{
		echo "SET search_path = issuelist, public;"
		echo "$setup"
		echo '\o /dev/null'
		echo "$stmt;"			# warm-up, not counted
		echo '\timing on'
		for i in $(seq "$runs"); do echo "$stmt;"; done
	} | times_ms "$db" | median
}

# Wall time in ms of statement $2 in database $1, run once.
once_ms() {
	printf '%s\n' "SET search_path = issuelist, public;" '\o /dev/null' '\timing on' "$2;" |
		times_ms "$1" | tail -1
}

# The floor of statement $2 in database $1: the faster of the medians of its
# serial plan and of the plan PostgreSQL chooses with parallel workers.
# Where parallel workers are slow to start on a machine (shared memory
# without huge pages, touched page by page by each new worker), the chosen
# plan can take twice the serial one: the floor is the best PostgreSQL does.
floor_ms() {
	local serial parallel
	serial=$(median_ms "$1" "SET max_parallel_workers_per_gather = 0;" "$2")
	parallel=$(median_ms "$1" "" "$2")
	awk -v a="$serial" -v b="$parallel" 'BEGIN { print (a < b) ? a : b }'
}
