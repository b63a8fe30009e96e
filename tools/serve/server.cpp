#include "server.hpp"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include <httplib.h>

#include "page_assets.hpp"
#include "workbench.hpp"

namespace extrasim::serve {

namespace {

namespace fs = std::filesystem;

// Every answer: no caching of results, no framing by other sites, no sniffing, and the page
// may load only what this server serves (it works offline, and nothing can be injected in).
const httplib::Headers kSecurityHeaders = {
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Cache-Control", "no-store"},
    {"Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
                                "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"},
};

void send(httplib::Response& res, const Answer& a) {
  res.status = a.status;
  res.set_content(a.body, a.content_type.c_str());
  if (!a.file_name.empty()) res.set_header("Content-Disposition", "attachment; filename=\"" + a.file_name + "\"");
}

void refuse(httplib::Response& res, int status, const std::string& text) {
  send(res, {status, Json{{"error", {{"message", text}}}}.dump(), "application/json", ""});
}

// The work folder: a fresh private folder under the system's temporary folder; the library's
// temporary files (the workbook's) go there too (TMPDIR), and it is removed at exit.
class WorkFolder {
 public:
  WorkFolder() {
    std::string pattern = (fs::temp_directory_path() / "extrasim-serve-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a work folder");
    path_ = pattern;
    ::setenv("TMPDIR", path_.c_str(), 1);
  }
  ~WorkFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

class HttpFront {
 public:
  HttpFront(const ServeOptions& o, Workbench& bench) : options_(o), bench_(bench) {}

  void configure(httplib::Server& s) {
    s.set_default_headers(kSecurityHeaders);
    s.set_payload_max_length(options_.max_body_bytes);
    s.set_read_timeout(5, 0);
    s.set_write_timeout(5, 0);
    s.set_keep_alive_max_count(100);
    s.new_task_queue = [] { return new httplib::ThreadPool(8); };
    s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) { return check(req, res); });
    s.set_exception_handler([this](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) { on_exception(res, ep); });
    s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (res.body.empty()) refuse(res, res.status, res.status == 413 ? "the request is larger than the server takes" : "not found");
    });
    routes(s);
  }

  void set_port(int port) {
    port_ = port;
    const std::string p = std::to_string(port);
    hosts_ = {options_.host + ":" + p, "localhost:" + p};
    origins_ = {"http://" + options_.host + ":" + p, "http://localhost:" + p};
  }

 private:
  // DNS rebinding: a page of another site whose name now points here still sends its own name
  // as Host. Cross-site requests: a browser names the page's origin. Both are refused.
  httplib::Server::HandlerResponse check(const httplib::Request& req, httplib::Response& res) const {
    const std::string host = req.get_header_value("Host");
    if (std::find(hosts_.begin(), hosts_.end(), host) == hosts_.end()) {
      refuse(res, 403, "this server answers only requests to " + hosts_[0]);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.has_header("Origin") && std::find(origins_.begin(), origins_.end(), req.get_header_value("Origin")) == origins_.end()) {
      refuse(res, 403, "requests from other sites are refused");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.get_header_value("Sec-Fetch-Site") == "cross-site") {
      refuse(res, 403, "requests from other sites are refused");
      return httplib::Server::HandlerResponse::Handled;
    }
    // A form of another site can post text/plain without asking; JSON needs a preflight,
    // which this server never grants.
    if ((req.method == "POST" || req.method == "PUT") && req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
      refuse(res, 415, "send JSON (Content-Type: application/json)");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

  void on_exception(httplib::Response& res, std::exception_ptr ep) const {
    try {
      std::rethrow_exception(ep);
    } catch (const InputError& e) {
      send(res, input_error(e, bench_.roots()));
    } catch (const Json::exception&) {
      refuse(res, 400, "the request is not the JSON expected");
    } catch (const std::exception& e) {
      // Logged here, never sent: the client learns only that it failed.
      std::cerr << "extrasim serve: internal error: " << bench_.roots().scrub(e.what()) << "\n";
      refuse(res, 500, "internal error");
    }
  }

  static Json body_of(const httplib::Request& req) { return Json::parse(req.body); }

  void routes(httplib::Server& s) {
    s.Get("/api/scenarios", [this](const httplib::Request&, httplib::Response& res) { send(res, bench_.scenarios()); });
    s.Get("/api/municipalities", [this](const httplib::Request&, httplib::Response& res) { send(res, bench_.municipalities()); });
    s.Get("/api/labels", [this](const httplib::Request&, httplib::Response& res) { send(res, bench_.labels()); });
    s.Get("/api/settings", [this](const httplib::Request&, httplib::Response& res) {
      send(res, {200, Json{{"lang", options_.language == Language::kSwedish ? "sv" : "en"}, {"max_jobs", options_.max_jobs}}.dump(), "application/json", ""});
    });
    s.Post("/api/validate", [this](const httplib::Request& req, httplib::Response& res) { send(res, bench_.validate(body_of(req))); });
    s.Post("/api/parameters", [this](const httplib::Request& req, httplib::Response& res) { send(res, bench_.parameters(body_of(req))); });
    s.Post("/api/expected", [this](const httplib::Request& req, httplib::Response& res) { send(res, bench_.expected(body_of(req))); });
    s.Post("/api/bonus", [this](const httplib::Request& req, httplib::Response& res) { send(res, bench_.bonus(body_of(req))); });
    s.Post("/api/tax", [this](const httplib::Request& req, httplib::Response& res) { send(res, bench_.tax(body_of(req))); });
    s.Post("/api/jobs", [this](const httplib::Request& req, httplib::Response& res) { send(res, bench_.start_job(body_of(req))); });
    s.Get(R"(/api/jobs/([0-9a-f]{16}))", [this](const httplib::Request& req, httplib::Response& res) { send(res, bench_.job_status(req.matches[1])); });
    s.Delete(R"(/api/jobs/([0-9a-f]{16}))", [this](const httplib::Request& req, httplib::Response& res) { send(res, bench_.cancel_job(req.matches[1])); });
    s.Get(R"(/api/jobs/([0-9a-f]{16})/result)", [this](const httplib::Request& req, httplib::Response& res) { send(res, bench_.job_result(req.matches[1])); });
    s.Get(R"(/api/jobs/([0-9a-f]{16})/download/(xlsx|report\.html|csv|json|yaml))", [this](const httplib::Request& req, httplib::Response& res) {
      int variant = 0;
      if (req.has_param("variant")) {
        const std::string v = req.get_param_value("variant");
        variant = v.size() == 1 && v[0] >= '0' && v[0] <= '9' ? v[0] - '0' : -1;
      }
      // The page's language: Swedish sheets, report and CSV (with the Swedish locale) for "sv".
      const Language lang = req.has_param("lang") && req.get_param_value("lang") == "sv" ? Language::kSwedish : Language::kEnglish;
      send(res, bench_.download(req.matches[1], req.matches[2], variant, lang));
    });
    s.Get(R"(/|/app\.js|/style\.css)", [](const httplib::Request& req, httplib::Response& res) {
      const PageAsset* a = find_page_asset(req.path);
      res.set_content(std::string(a->body), std::string(a->content_type).c_str());
    });
  }

  const ServeOptions& options_;
  Workbench& bench_;
  int port_ = 0;
  std::vector<std::string> hosts_, origins_;
};

// SIGINT and SIGTERM are blocked in every thread (the mask is inherited) and taken by one
// thread that stops the server, so the work folder is always removed.
class StopOnSignal {
 public:
  explicit StopOnSignal(httplib::Server& server) {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
    thread_ = std::thread([this, &server] {
      int signal = 0;
      sigwait(&set_, &signal);
      // A signal before the server listens would stop nothing: wait until it does (or ends).
      while (!server.is_running() && !ended_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      server.stop();
    });
  }
  ~StopOnSignal() {
    ended_ = true;
    pthread_kill(thread_.native_handle(), SIGTERM);  // wakes it if no signal came
    thread_.join();
  }

 private:
  sigset_t set_;
  std::atomic<bool> ended_{false};
  std::thread thread_;
};

}  // namespace

int serve(const ServeOptions& o, const std::function<void(const std::string&)>& listening) {
  ReadRoots roots;
  roots.add("scenarios", o.project_root / "scenarios");
  roots.add("data", o.project_root / "data");
  if (!o.user_scenarios.empty()) roots.add("user", o.user_scenarios);
  httplib::Server server;
  const StopOnSignal stop(server);  // before any other thread starts
  const WorkFolder work;
  roots.also_scrub(work.path());
  Workbench bench(std::move(roots), o.max_jobs, o.threads_per_job, o.max_run_seconds);
  HttpFront front(o, bench);
  front.configure(server);
  const int port = o.port == 0 ? server.bind_to_any_port(o.host) : (server.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port <= 0) {
    std::cerr << "error: cannot listen on " << o.host << ":" << o.port << "\n";
    return 1;
  }
  front.set_port(port);
  listening("http://" + o.host + ":" + std::to_string(port) + "/");
  server.listen_after_bind();
  return 0;
}

}  // namespace extrasim::serve
