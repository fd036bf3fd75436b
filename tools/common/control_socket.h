// The daemon's local control socket: a Unix stream socket that takes one
// command per connection (arguments separated by newlines, an empty line
// ends the request) and answers with the exit code on the first line and the
// command's output after it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace picsec::tools {

/// Default path of the control socket.
inline constexpr const char* k_default_control_socket = "/run/picsec/picsec.sock";

/// Serves control requests on `path` (removed and re-created at start).
class ControlServer {
public:
    using Handler = std::function<std::pair<int, std::string>(const std::vector<std::string>&)>;
    ControlServer(boost::asio::io_context& io, std::string path, Handler handler);
    ~ControlServer();

private:
    void accept();
    boost::asio::local::stream_protocol::acceptor m_acceptor;
    std::string m_path;
    Handler m_handler;
};

/// Sends one request to a running daemon. Returns false with `output` set to
/// the reason when the daemon cannot be reached.
bool control_request(const std::string& path, const std::vector<std::string>& args, int& exit_code,
                     std::string& output);

}  // namespace picsec::tools
