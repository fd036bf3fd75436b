// Certificate commands modelled on the ES PIC's: `request security key-pair`,
// `request security certificate enroll` (a PKCS#10 request), a small test CA
// (`request security certificate-authority create|sign|crl`) and
// `show security certificates`.
#include "command.h"

#include "certificate_files.h"
#include "cli_args.h"
#include "secret_file.h"
#include "picsec/config/load.h"
#include "picsec/ike/codec/printable.h"

#include <botan/auto_rng.h>
#include <botan/data_src.h>
#include <botan/pkcs10.h>
#include <botan/pkcs8.h>
#include <botan/rsa.h>
#include <botan/x509_ca.h>
#include <botan/x509self.h>

#include <chrono>
#include <fstream>
#include <map>
#include <ostream>

namespace picsec::tools {
namespace {

/// "key-pair F subject DN ..." -> {key-pair: F, subject: DN}; error on an odd or unknown word.
bool keyword_args(const std::vector<std::string>& args, std::size_t from, const std::vector<std::string>& known,
                  std::map<std::string, std::string>& out, std::ostream& err)
{
    for (std::size_t i = from; i < args.size(); i += 2) {
        bool ok = false;
        for (const auto& k : known)
            ok = ok || k == args[i];
        if (!ok || i + 1 >= args.size()) {
            err << "picsec: " << (ok ? "missing value after " : "unexpected ") << args[i] << "\n";
            return false;
        }
        out[args[i]] = args[i + 1];
    }
    return true;
}

void write_file(const std::string& path, const std::string& text, bool secret)
{
    if (secret) {
        // Owner-only from the first byte, also when the file already exists;
        // the process umask is left alone.
        if (auto e = write_secret_file(path, text); !e.empty())
            throw std::runtime_error(e);
        return;
    }
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f)
        throw std::runtime_error(path + ": cannot write");
    f << text;
}

/// "C=US, O=Example, CN=r1" into certificate options.
Botan::X509_Cert_Options options(const std::map<std::string, std::string>& a)
{
    Botan::X509_Cert_Options o;
    if (auto s = a.find("subject"); s != a.end()) {
        std::string part;
        auto take = [&] {
            const auto eq = part.find('=');
            if (eq != std::string::npos) {
                auto k = part.substr(0, eq), v = part.substr(eq + 1);
                while (!k.empty() && k.front() == ' ') k.erase(k.begin());
                if (k == "CN") o.common_name = v;
                else if (k == "C") o.country = v;
                else if (k == "O") o.organization = v;
                else if (k == "OU") o.org_unit = v;
                else if (k == "L") o.locality = v;
                else if (k == "ST") o.state = v;
                else throw std::runtime_error("subject: unknown attribute " + k + " (use C, ST, L, O, OU, CN)");
            }
            part.clear();
        };
        for (char c : s->second)
            if (c == ',' || c == '/') take(); else part += c;
        take();
    }
    if (auto d = a.find("domain-name"); d != a.end()) o.dns = d->second;
    if (auto i = a.find("ip-address"); i != a.end()) o.ip = i->second;
    if (auto e = a.find("email"); e != a.end()) o.email = e->second;
    return o;
}

std::unique_ptr<Botan::Private_Key> load_key(const std::string& path)
{
    return ike::crypto::parse_private_key(read_file(path));
}

/// The value of keyword KEY as a whole non-negative number, or `fallback` when absent.
long number(std::map<std::string, std::string>& a, const std::string& key, long fallback)
{
    if (!a.count(key))
        return fallback;
    const auto& v = a[key];
    std::size_t used = 0;
    long n = -1;
    try {
        n = std::stol(v, &used);
    } catch (const std::exception&) {
    }
    if (v.empty() || used != v.size() || n < 0)
        throw std::runtime_error(key + " " + v + ": not a number");
    return n;
}

int key_pair(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    std::map<std::string, std::string> a;
    if (args.empty() || !keyword_args(args, 1, {"size"}, a, err)) {
        err << "usage: picsec request security key-pair FILE [size 1024|2048|3072|4096]\n";
        return k_exit_usage;
    }
    const auto bits = number(a, "size", 2048);
    if (bits != 1024 && bits != 2048 && bits != 3072 && bits != 4096) {
        err << "picsec: size " << bits << ": need 1024, 2048, 3072 or 4096\n";
        return k_exit_usage;
    }
    Botan::AutoSeeded_RNG rng;
    Botan::RSA_PrivateKey key(rng, bits);
    write_file(args[0], Botan::PKCS8::PEM_encode(key), true);
    out << "Generated key pair " << args[0] << ", key size " << bits << " bits\n";
    return k_exit_ok;
}

int enroll(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    std::map<std::string, std::string> a;
    if (!keyword_args(args, 0, {"key-pair", "subject", "domain-name", "ip-address", "email", "output"}, a, err) ||
        !a.count("key-pair") || !a.count("subject")) {
        err << "usage: picsec request security certificate enroll key-pair FILE subject DN [domain-name FQDN] "
               "[ip-address A] [email USER@FQDN] [output FILE]\n";
        return k_exit_usage;
    }
    Botan::AutoSeeded_RNG rng;
    const auto key = load_key(a["key-pair"]);
    const auto req = Botan::X509::create_cert_req(options(a), *key, "SHA-256", rng);
    if (a.count("output")) {
        write_file(a["output"], req.PEM_encode(), false);
        out << "PKCS#10 request for " << a["subject"] << " written to " << a["output"] << "\n";
    } else {
        out << req.PEM_encode();
    }
    return k_exit_ok;
}

int ca_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    const std::string usage =
        "usage: picsec request security certificate-authority create key-pair FILE subject DN [days N] output FILE\n"
        "       picsec request security certificate-authority sign ca-certificate FILE ca-key-pair FILE request FILE "
        "[days N] [not-before-days N] output FILE\n"
        "       picsec request security certificate-authority crl ca-certificate FILE ca-key-pair FILE "
        "[revoke FILE] output FILE\n";
    std::map<std::string, std::string> a;
    if (args.empty() ||
        !keyword_args(args, 1, {"key-pair", "subject", "days", "not-before-days", "output", "ca-certificate",
                                "ca-key-pair", "request", "revoke"},
                      a, err) ||
        !a.count("output")) {
        err << usage;
        return k_exit_usage;
    }
    Botan::AutoSeeded_RNG rng;
    const auto now = std::chrono::system_clock::now();
    const auto days = std::chrono::hours(24 * number(a, "days", 365));
    const auto before = std::chrono::hours(24 * number(a, "not-before-days", 1));
    if (args[0] == "create" && a.count("key-pair") && a.count("subject")) {
        auto o = options(a);
        o.CA_key();
        o.start = Botan::X509_Time(now - before);
        o.end = Botan::X509_Time(now + days);
        const auto key = load_key(a["key-pair"]);
        const auto cert = Botan::X509::create_self_signed_cert(o, *key, "SHA-256", rng);
        write_file(a["output"], cert.PEM_encode(), false);
        out << "CA certificate " << describe_subject(cert) << " written to " << a["output"] << "\n";
        return k_exit_ok;
    }
    if (!a.count("ca-certificate") || !a.count("ca-key-pair")) {
        err << usage;
        return k_exit_usage;
    }
    const auto ca_cert = ike::crypto::parse_certificate(read_file(a["ca-certificate"]));
    const auto ca_key = load_key(a["ca-key-pair"]);
    if (!ike::crypto::key_matches(ca_cert, *ca_key))
        throw std::runtime_error("ca-key-pair " + a["ca-key-pair"] + " is not the key of ca-certificate " +
                                 a["ca-certificate"]);
    Botan::X509_CA ca(ca_cert, *ca_key, "SHA-256", rng);
    if (args[0] == "sign" && a.count("request")) {
        const auto bytes = read_file(a["request"]);
        Botan::DataSource_Memory src(bytes.data(), bytes.size());
        const Botan::PKCS10_Request req(src);
        const std::unique_ptr<Botan::Public_Key> requester(req.subject_public_key());
        if (!req.check_signature(*requester))
            throw std::runtime_error("request " + a["request"] + ": its self-signature does not verify");
        const auto cert = ca.sign_request(req, rng, Botan::X509_Time(now - before), Botan::X509_Time(now + days));
        write_file(a["output"], cert.PEM_encode(), false);
        out << "certificate " << describe_subject(cert) << " issued by " << describe_subject(ca_cert) << " written to "
            << a["output"] << "\n";
        return k_exit_ok;
    }
    if (args[0] == "crl") {
        std::vector<Botan::CRL_Entry> revoked;
        if (a.count("revoke"))
            revoked.emplace_back(ike::crypto::parse_certificate(read_file(a["revoke"])), Botan::CRL_Code::KEY_COMPROMISE);
        const auto crl = ca.update_crl(ca.new_crl(rng, now, days), revoked, rng, now, days);
        write_file(a["output"], crl.PEM_encode(), false);
        out << "CRL of " << describe_subject(ca_cert) << " with " << revoked.size() << " revoked written to "
            << a["output"] << "\n";
        return k_exit_ok;
    }
    err << usage;
    return k_exit_usage;
}

std::string when(const Botan::X509_Time& t) { return t.readable_string(); }

int show_certificates(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    const ParsedArgs p = parse_args(args, {"-c"}, {});
    if (!p.error.empty() || !p.get("-c")) {
        err << "usage: picsec show security certificates -c CONFIG\n";
        return k_exit_usage;
    }
    const auto r = config::load_file(*p.get("-c"));
    if (!r.ok()) {
        out << config::format(r.diagnostics);
        return k_exit_failed;
    }
    const auto& model = r.model;
    auto print = [&](const std::string& what, const std::string& file) {
        out << what << "\n  File: " << file << "\n";
        try {
            for (const auto& c : ike::crypto::parse_certificates(read_file(file))) {
                out << "  Subject: " << describe_subject(c) << "\n  Issuer: " << describe_issuer(c)
                    << "\n  Validity: " << when(c.not_before()) << " to " << when(c.not_after()) << "\n";
                // describe_subject() escapes the DNs; the subjectAltNames are escaped here, once.
                const auto alt = c.subject_alt_name().contents();
                for (const auto& [k, v] : alt)
                    out << "  Alternate subject: " << k << " " << ike::codec::printable(v) << "\n";
            }
        } catch (const std::exception& e) {
            out << "  Error: " << e.what() << "\n";
        }
    };
    for (const auto& ca : model.certificates.authorities) {
        print("Certification authority " + ca.name, ca.file.value);
        if (ca.crl.configured) {
            try {
                const auto crl = ike::crypto::parse_crl(read_file(ca.crl.value));
                out << "  CRL: " << ca.crl.value << ", " << crl.get_revoked().size() << " revoked, next update "
                    << when(crl.next_update()) << "\n";
            } catch (const std::exception& e) {
                out << "  CRL: " << e.what() << "\n";
            }
        }
        out << "\n";
    }
    for (const auto& policy : model.ike_policies)
        if (policy.local_certificate.configured) {
            const auto files = local_credential_files(model, policy);
            print("Local certificate of ike policy " + policy.name, files.certificate);
            out << "  Key pair: " << files.key << "\n\n";
        }
    return k_exit_ok;
}

const CommandRegistrar k_key_pair{{{"request", "security", "key-pair"}, "FILE [size 1024|2048|3072|4096]",
                                   "generate an RSA key pair (PKCS#8 PEM)", key_pair}};
const CommandRegistrar k_enroll{{{"request", "security", "certificate", "enroll"},
                                 "key-pair FILE subject DN [domain-name N] [ip-address A] [email E] [output FILE]",
                                 "make a PKCS#10 certificate request", enroll}};
const CommandRegistrar k_ca{{{"request", "security", "certificate-authority"}, "create|sign|crl ...",
                             "a small test CA: self-signed CA, sign a request, issue a CRL", ca_command}};
const CommandRegistrar k_show{{{"show", "security", "certificates"}, "-c CONFIG",
                               "certificates, CAs and CRLs the configuration names", show_certificates}};

}  // namespace
}  // namespace picsec::tools
