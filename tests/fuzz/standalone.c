/*
 * tests/fuzz/standalone.c - a plain main() for the fuzz entry points
 * (STYLE.md Z2): replays corpus files through LLVMFuzzerTestOneInput
 * without libFuzzer, so the gcc build of `make test` exercises every
 * committed seed and crash under ASan and UBSan.
 *
 * Usage: replay_fuzz_<name> FILE_OR_DIR...
 * Each file is read whole into a buffer of exactly its size (so ASan sees
 * any read past the end) and passed once. Directories are walked
 * recursively in name order; names starting with '.' are skipped. Prints
 * "replayed N inputs from <arg>" per argument; exits 1 when an argument or
 * a file in it cannot be read, 2 on a usage error. Single-threaded.
 */
#include "core/compat.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads path whole and runs it; false (with a message) when it cannot be read. */
static bool replay_file(const char *path, size_t *count)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "replay: %s is not a regular file\n", path);
        close(fd);
        return false;
    }
    size_t size = (size_t)st.st_size;
    uint8_t *data = malloc(size ? size : 1);
    if (!data) {
        fprintf(stderr, "replay: out of memory for %s (%zu bytes)\n", path, size);
        close(fd);
        return false;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, data + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "replay: cannot read %s: %s\n", path,
                    n < 0 ? strerror(errno) : "file shrank");
            free(data);
            close(fd);
            return false;
        }
        got += (size_t)n;
    }
    close(fd);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    (*count)++;
    return true;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays path, a file or a directory (recursively); false when anything could not be read. */
static bool replay_path(const char *path, size_t *count)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
        return false;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path, count);

    DIR *dir = opendir(path);
    if (!dir) {
        fprintf(stderr, "replay: cannot open directory %s: %s\n", path, strerror(errno));
        return false;
    }
    /* collect the names first, to replay in a stable order */
    char **names = NULL;
    size_t n = 0, alloc = 0;
    bool ok = true;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == alloc) {
            alloc = alloc ? 2 * alloc : 64;
            char **grown = realloc(names, alloc * sizeof(*names));
            if (!grown) {
                fprintf(stderr, "replay: out of memory listing %s\n", path);
                ok = false;
                break;
            }
            names = grown;
        }
        names[n] = strdup(de->d_name);
        if (!names[n]) {
            fprintf(stderr, "replay: out of memory listing %s\n", path);
            ok = false;
            break;
        }
        n++;
    }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(path) + 1 + strlen(names[i]) + 1;
        char *child = malloc(len);
        if (!child) {
            fprintf(stderr, "replay: out of memory\n");
            ok = false;
        } else {
            snprintf(child, len, "%s/%s", path, names[i]);
            ok = replay_path(child, count) && ok;
            free(child);
        }
        free(names[i]);
    }
    free(names);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        size_t count = 0;
        if (!replay_path(argv[i], &count))
            status = 1;
        printf("replayed %zu inputs from %s\n", count, argv[i]);
    }
    return status;
}
