// Secret files (private keys, Wireshark key tables) and the control socket are
// owner-only from the moment they exist: never created with a wider mode and
// narrowed before the first secret byte when they already exist.
#include <catch2/catch.hpp>

#include "control_socket.h"
#include "secret_file.h"
#include "wireshark_export.h"

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace picsec::tools;
namespace fs = std::filesystem;

namespace {

/// A fresh directory under the system temp dir, removed at the end.
struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "picsec-secret-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

/// Sets the process umask for one test and restores it.
struct Umask {
    mode_t before;
    explicit Umask(mode_t m) : before(::umask(m)) {}
    ~Umask() { ::umask(before); }
};

mode_t mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

std::string contents(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

/// Runs `writer` on a thread against the FIFO `fifo` and returns the FIFO's
/// mode at the moment the first written bytes can be read. The writer puts
/// far more than a pipe holds, so it is still blocked in the middle of its
/// secret when the mode is taken: a write-then-chmod writer is caught with
/// the wider mode, whatever the scheduling.
template <typename Writer>
mode_t mode_when_first_bytes_arrive(const fs::path& fifo, Writer writer, std::string& writer_error,
                                    std::size_t& received) {
    // Non-blocking open: a writer that never opens cannot hang the test.
    const int fd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    REQUIRE(fd >= 0);
    std::thread t([&] { writer_error = writer(); });
    mode_t mode = 0;
    char buf[4096];
    received = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (received == 0 && std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        const auto n = ::read(fd, buf, 64);
        if (n > 0) {
            struct stat st {};
            if (::fstat(fd, &st) == 0) mode = st.st_mode & 07777;
            received = static_cast<std::size_t>(n);
        }
    }
    // Drain the rest so the writer finishes, then join before any REQUIRE.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    for (ssize_t n; received > 0 && (n = ::read(fd, buf, sizeof buf)) != 0;) {
        if (n > 0) {
            received += static_cast<std::size_t>(n);
        } else if (errno != EINTR) {
            break;
        }
    }
    ::close(fd);
    t.join();
    return mode;
}

/// Enough esp_sa records (about 2 MB) to fill any pipe many times over.
std::vector<EspSaRecord> many_records() {
    EspSaRecord r{"10.0.0.1", "10.0.0.2", 0x1000, "AES-CBC [RFC3602]", "0x" + std::string(64, 'a'),
                  "HMAC-SHA-1-96 [RFC2404]", "0x" + std::string(40, 'b')};
    return std::vector<EspSaRecord>(15000, r);
}

}  // namespace

TEST_CASE("a new secret file is created 0600 even under umask 0", "[tools][secret]") {
    TempDir dir;
    Umask open_umask(0);
    const auto path = dir.path / "r1.key";
    REQUIRE(write_secret_file(path, "-----BEGIN PRIVATE KEY-----\n") == "");
    CHECK(mode_of(path) == 0600);
    CHECK(contents(path) == "-----BEGIN PRIVATE KEY-----\n");
    // The umask is the caller's: a later ordinary file is not narrowed.
    std::ofstream(dir.path / "later") << "x";
    CHECK(mode_of(dir.path / "later") == 0666);
}

TEST_CASE("a secret written over an existing 0644 file leaves it 0600 holding only the new bytes", "[tools][secret]") {
    TempDir dir;
    Umask open_umask(0);
    const auto path = dir.path / "esp_sa";
    std::ofstream(path) << "an older and much longer text that must not survive the write\n";
    REQUIRE(::chmod(path.c_str(), 0644) == 0);
    REQUIRE(write_secret_file(path, "key") == "");
    CHECK(mode_of(path) == 0600);
    CHECK(contents(path) == "key");
}

TEST_CASE("an existing 0644 file is made 0600 before the first secret byte is written into it", "[tools][secret]") {
    TempDir dir;
    Umask open_umask(0);
    const auto fifo = dir.path / "r1.key";
    REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    const std::string secret(2 * 1024 * 1024, 'k');
    std::string error;
    std::size_t received = 0;
    const auto mode = mode_when_first_bytes_arrive(fifo, [&] { return write_secret_file(fifo, secret); }, error,
                                                   received);
    CHECK(error == "");
    CHECK(received == secret.size());
    CHECK(mode == 0600);
}

TEST_CASE("the Wireshark key tables are owner-only before the first key byte, also over a 0644 esp_sa",
          "[tools][secret][wireshark]") {
    TempDir dir;
    Umask open_umask(0);
    const auto records = many_records();
    const auto fifo = dir.path / "esp_sa";
    REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    std::string error;
    std::size_t received = 0;
    const auto mode = mode_when_first_bytes_arrive(
        fifo, [&] { return write_wireshark_config(dir.path, records, {{"0011223344556677", "8899aabb"}}); }, error,
        received);
    CHECK(error == "");
    CHECK(received == esp_sa_file(records).size());
    CHECK(mode == 0600);
    CHECK(mode_of(dir.path / "ikev1_decryption_table") == 0600);
    CHECK(contents(dir.path / "ikev1_decryption_table").ends_with("0011223344556677,8899aabb\n"));
}

TEST_CASE("the Wireshark key tables from a daemon's rendered records are written whole and owner-only",
          "[tools][secret][wireshark]") {
    TempDir dir;
    Umask open_umask(0);
    const std::string lines = "\"IPv4\",\"10.0.0.1\",\"10.0.0.2\",\"0x00001000\",\"NULL\",\"\",\"NULL\",\"\"\n";
    REQUIRE(write_wireshark_config_lines(dir.path / "out", lines, {{"00", "11"}}) == "");
    CHECK(mode_of(dir.path / "out" / "esp_sa") == 0600);
    CHECK(contents(dir.path / "out" / "esp_sa") == esp_sa_file(lines));
    CHECK(contents(dir.path / "out" / "esp_sa").ends_with(lines));
    CHECK(mode_of(dir.path / "out" / "ikev1_decryption_table") == 0600);
    // preferences holds no key: the umask decides, as before.
    CHECK(mode_of(dir.path / "out" / "preferences") == 0666);
}

TEST_CASE("a secret is not written into a file owned by another user", "[tools][secret]") {
    if (::geteuid() != 0) {
        WARN("needs root to give a file to another user; not checked");
        return;
    }
    TempDir dir;
    const auto path = dir.path / "r1.key";
    std::ofstream(path) << "theirs";
    REQUIRE(::chmod(path.c_str(), 0644) == 0);
    REQUIRE(::chown(path.c_str(), 65534, 65534) == 0);
    const auto error = write_secret_file(path, "secret");
    CHECK(error.find("owned by another user") != std::string::npos);
    CHECK(contents(path) == "theirs");
    CHECK(mode_of(path) == 0644);
}

TEST_CASE("the control socket is created 0600 under umask 0 and the umask is restored", "[tools][secret][control]") {
    TempDir dir;
    Umask open_umask(0);
    boost::asio::io_context io;
    const auto path = dir.path / "picsec.sock";
    ControlServer server(io, path.string(), [](const std::vector<std::string>&) {
        return std::pair<int, std::string>{0, ""};
    });
    CHECK(mode_of(path) == 0600);
    const mode_t now = ::umask(0);
    CHECK(now == 0);
}
