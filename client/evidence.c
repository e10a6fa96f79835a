/*
 * evidence.c
 *		attach CODE FILE [NOTE]: the file is read once into one buffer and
 *		sent as a binary bytea parameter of issuelist.attach (no hex or
 *		escape text, so the client holds the file once and libpq's copy of
 *		it while sending); evidence get ID [FILE]: issuelist.evidence_content
 *		asked for in binary, written out as it came.
 *
 * The server checks the size (evidence_max_bytes), the media type and who
 * may attach; the client only guesses the media type from the file's
 * extension and shows progress on a terminal while reading a large file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "settings.h"
#include "util.h"
#include "exec.h"
#include "evidence.h"

/* Files this large show their progress on a terminal. */
#define PROGRESS_BYTES (1024 * 1024)
#define CHUNK_BYTES (1024 * 1024)

static const struct
{
	const char *ext;
	const char *type;
}			media_types[] = {
	{"pdf", "application/pdf"},
	{"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"},
	{"png", "image/png"}, {"gif", "image/gif"},
	{"tif", "image/tiff"}, {"tiff", "image/tiff"},
	{"doc", "application/msword"},
	{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	{"xls", "application/vnd.ms-excel"},
	{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{"txt", "text/plain"}, {"csv", "text/csv"},
};

/* The media type of a file, from its extension (any case). */
const char *
evidence_media_type(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (dot && dot != base)
		for (size_t i = 0; i < sizeof(media_types) / sizeof(media_types[0]); i++)
			if (strcasecmp(dot + 1, media_types[i].ext) == 0)
				return media_types[i].type;
	return "application/octet-stream";
}

/* "reading FILE: 40% (4.0 of 10.0 MB)", over itself, on stderr. */
static void
show_progress(const char *name, size_t done, size_t total)
{
	fprintf(stderr, "\rreading %s: %3d%% (%.1f of %.1f MB)", name,
			(int) (total ? done * 100 / total : 100),
			done / 1048576.0, total / 1048576.0);
	fflush(stderr);
}

/*
 * Read a whole regular file into one buffer; NULL after a message.  Ctrl-C
 * stops the reading.
 */
static char *
read_file(const char *path, size_t *size)
{
	int			fd = open(path, O_RDONLY);
	struct stat st;
	char	   *data;
	size_t		done = 0;
	bool		progress;

	if (fd < 0)
	{
		client_error("attach: could not open \"%s\": %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
	{
		client_error("attach: \"%s\" is not a regular file", path);
		close(fd);
		return NULL;
	}
	/* a parameter's length is an int */
	if (st.st_size >= INT_MAX)
	{
		client_error("attach: \"%s\" is too large (%lld bytes)", path,
					 (long long) st.st_size);
		close(fd);
		return NULL;
	}
	*size = (size_t) st.st_size;
	data = xmalloc(*size + 1);
	progress = *size >= PROGRESS_BYTES && isatty(STDERR_FILENO);
	cancel_pressed = 0;
	while (done < *size)
	{
		size_t		want = *size - done < CHUNK_BYTES ? *size - done : CHUNK_BYTES;
		ssize_t		n = read(fd, data + done, want);

		if (n < 0 && errno == EINTR && !cancel_pressed)
			continue;
		if (n <= 0 || cancel_pressed)
		{
			if (progress)
				fputc('\n', stderr);
			if (cancel_pressed)
				client_error("attach: cancelled");
			else
				client_error("attach: could not read \"%s\": %s", path,
							 n < 0 ? strerror(errno) : "the file got shorter");
			cancel_pressed = 0;
			free(data);
			close(fd);
			return NULL;
		}
		done += (size_t) n;
		if (progress)
			show_progress(path, done, *size);
	}
	if (progress)
		fputc('\n', stderr);
	close(fd);
	return data;
}

/*
 * attach CODE FILE [NOTE]: returns the new evidence's id (to free), or NULL
 * after a message.
 */
char *
evidence_attach(const char *code, const char *path, const char *note)
{
	static const char sql[] = "SELECT issuelist.attach($1, $2, $3, $4, $5)";
	const char *base = strrchr(path, '/');
	const char *values[5];
	int			lengths[5] = {0, 0, 0, 0, 0};
	const int	formats[5] = {0, 0, 0, 1, 0};
	size_t		size;
	char	   *data = read_file(path, &size);
	PGresult   *res;
	char	   *id;

	if (data == NULL)
		return NULL;
	values[0] = code;
	values[1] = base ? base + 1 : path;
	values[2] = evidence_media_type(path);
	values[3] = data;
	values[4] = note;
	lengths[3] = (int) size;
	res = exec_params_binary(sql, 5, values, lengths, formats, 0);
	free(data);
	if (res == NULL)
		return NULL;
	id = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return id;
}

/*
 * The name to write evidence to when none is given: the stored file name
 * without any directory, in the current directory; NULL if nothing is left.
 */
static const char *
default_name(const char *stored)
{
	const char *p = stored;

	for (const char *s = stored; *s; s++)
		if (*s == '/' || *s == '\\')
			p = s + 1;
	if (*p == '\0' || strcmp(p, ".") == 0 || strcmp(p, "..") == 0)
		return NULL;
	return p;
}

/*
 * evidence get ID [FILE]: the bytes as attached, to FILE, else to the
 * stored file name in the current directory, which is never overwritten.
 */
CmdStatus
evidence_get(const char *id, const char *path)
{
	static const char sql[] =
		"SELECT (SELECT v.file_name FROM issuelist.evidence v WHERE v.id = $1::bigint),"
		"       issuelist.evidence_content($1::bigint)";
	const char *values[1] = {id};
	PGresult   *res = exec_params_binary(sql, 1, values, NULL, NULL, 1);
	const char *target = path;
	const char *data;
	size_t		size;
	size_t		done = 0;
	int			fd;

	if (res == NULL)
		return CMD_ERROR;
	if (target == NULL && (target = default_name(PQgetvalue(res, 0, 0))) == NULL)
	{
		client_error("evidence: the stored file name \"%s\" names no file; give FILE",
					 PQgetvalue(res, 0, 0));
		PQclear(res);
		return CMD_ERROR;
	}
	fd = open(target, O_WRONLY | O_CREAT | (path ? O_TRUNC : O_EXCL), 0666);
	if (fd < 0)
	{
		client_error("evidence: could not create \"%s\": %s%s", target, strerror(errno),
					 errno == EEXIST ? " (give FILE to write elsewhere)" : "");
		PQclear(res);
		return CMD_ERROR;
	}
	data = PQgetvalue(res, 0, 1);
	size = (size_t) PQgetlength(res, 0, 1);
	while (done < size)
	{
		ssize_t		n = write(fd, data + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
		{
			client_error("evidence: could not write \"%s\": %s", target, strerror(errno));
			close(fd);
			PQclear(res);
			return CMD_ERROR;
		}
		done += (size_t) n;
	}
	if (close(fd) != 0)
	{
		client_error("evidence: could not write \"%s\": %s", target, strerror(errno));
		PQclear(res);
		return CMD_ERROR;
	}
	if (!pset.quiet)
		printf("wrote %zu bytes to %s\n", size, target);
	PQclear(res);
	return CMD_OK;
}
