// Owner-only secret files (see secret_file.h).
#include "secret_file.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace picsec::tools {
namespace {

std::string failure(const std::filesystem::path& path, std::string_view what, int error) {
    return path.string() + ": " + std::string(what) + " (" + std::strerror(error) + ")";
}

// write(2) until done, retrying short writes and EINTR.
bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const auto n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) errno = EIO;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

std::string write_secret_file(const std::filesystem::path& path, std::string_view bytes) {
    // The mode argument applies when open() creates the file: 0600, narrowed
    // further by the umask, never widened, so there is no window in which a
    // new file is readable by others (unlike write-then-chmod). No O_TRUNC:
    // an existing file is emptied only once it is known to be ours and
    // owner-only.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
    if (fd < 0) return failure(path, "cannot write", errno);
    std::string error;
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        error = failure(path, "cannot write", errno);
    } else if (st.st_uid != ::geteuid()) {
        error = path.string() + ": cannot write a secret into a file owned by another user (uid " +
                std::to_string(st.st_uid) + ")";
    } else if ((st.st_mode & 07777) != 0600 && ::fchmod(fd, 0600) != 0) {
        // An existing file keeps its mode: narrow it before a byte is written.
        error = failure(path, "cannot make owner-only", errno);
    } else if (S_ISREG(st.st_mode) && ::ftruncate(fd, 0) != 0) {
        error = failure(path, "cannot write", errno);
    } else if (!write_all(fd, bytes)) {
        error = failure(path, "write failed", errno);
    }
    if (::close(fd) != 0 && error.empty()) error = failure(path, "write failed", errno);
    return error;
}

}  // namespace picsec::tools
