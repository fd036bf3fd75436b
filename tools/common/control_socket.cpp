// Control socket server and client (see control_socket.h).
#include "control_socket.h"

#include <stdexcept>

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <filesystem>
#include <istream>
#include <sstream>

#include <sys/stat.h>

namespace picsec::tools {

namespace asio = boost::asio;
using asio::local::stream_protocol;

namespace {

// A request is bounded: at most this many bytes before the empty line.
constexpr std::size_t k_max_request = 4096;

struct Session : std::enable_shared_from_this<Session> {
    Session(stream_protocol::socket s, ControlServer::Handler& h) : socket(std::move(s)), handler(h), buffer(k_max_request) {}
    void start() {
        auto self = shared_from_this();
        asio::async_read_until(socket, buffer, "\n\n", [self](boost::system::error_code ec, std::size_t) {
            if (ec) return;
            std::istream in(&self->buffer);
            std::vector<std::string> args;
            std::string line;
            while (std::getline(in, line) && !line.empty()) args.push_back(line);
            auto [code, text] = self->handler(args);
            self->reply = std::to_string(code) + "\n" + text;
            asio::async_write(self->socket, asio::buffer(self->reply), [self](boost::system::error_code, std::size_t) {});
        });
    }
    stream_protocol::socket socket;
    ControlServer::Handler& handler;
    asio::streambuf buffer;
    std::string reply;
};

}  // namespace

ControlServer::ControlServer(asio::io_context& io, std::string path, Handler handler)
    : m_acceptor(io), m_path(std::move(path)), m_handler(std::move(handler)) {
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(m_path).parent_path(), ignored);
    if (std::filesystem::exists(m_path, ignored)) {
        // One daemon per control socket: a live one answers a connect and is
        // left alone; a socket nobody listens on is left over and replaced.
        stream_protocol::socket probe(io);
        boost::system::error_code ec;
        probe.connect(stream_protocol::endpoint(m_path), ec);
        if (!ec)
            throw std::runtime_error("a picsec daemon is already running with control socket " + m_path);
        std::filesystem::remove(m_path, ignored);
    }
    stream_protocol::endpoint ep(m_path);
    m_acceptor.open(ep.protocol());
    // show/clear change state and export hands out keys: owner only. bind()
    // creates the socket file with 0777 & ~umask, so under a umask of 0177 it
    // is 0600 from the start (a chmod after bind leaves a window in which
    // others can connect). The umask is process-wide: restored right away.
    const mode_t umask_before = ::umask(0177);
    boost::system::error_code ec;
    m_acceptor.bind(ep, ec);
    ::umask(umask_before);
    if (ec) throw boost::system::system_error(ec, "bind");
    m_acceptor.listen();
    accept();
}

ControlServer::~ControlServer() {
    std::error_code ignored;
    std::filesystem::remove(m_path, ignored);
}

void ControlServer::accept() {
    m_acceptor.async_accept([this](boost::system::error_code ec, stream_protocol::socket s) {
        if (ec) return;
        std::make_shared<Session>(std::move(s), m_handler)->start();
        accept();
    });
}

bool control_request(const std::string& path, const std::vector<std::string>& args, int& exit_code,
                     std::string& output) {
    asio::io_context io;
    stream_protocol::socket s(io);
    boost::system::error_code ec;
    s.connect(stream_protocol::endpoint(path), ec);
    if (ec) {
        output = "cannot reach the picsec daemon at " + path + ": " + ec.message() + " (is `picsec run` running?)";
        return false;
    }
    std::string request;
    for (const auto& a : args) request += a + "\n";
    request += "\n";
    asio::write(s, asio::buffer(request), ec);
    std::string reply;
    std::array<char, 4096> chunk{};
    for (;;) {
        const auto n = s.read_some(asio::buffer(chunk), ec);
        reply.append(chunk.data(), n);
        if (ec) break;
    }
    const auto nl = reply.find('\n');
    if (nl == std::string::npos) {
        output = "the picsec daemon closed the control connection without an answer";
        return false;
    }
    exit_code = std::atoi(reply.substr(0, nl).c_str());
    output = reply.substr(nl + 1);
    return true;
}

}  // namespace picsec::tools
