# Varnish 7.1 (Debian's `varnish`) with xkey (Debian's `varnish-modules`) in front of the
# archive: public pages are served from Varnish's cache until a write purges them by the
# surrogate keys they carry (the `xkey` header, newsarchive.http.caching). The archive sends
# `PURGE /` with an `xkey-purge: key key …` header to every URL of ARCHIVE_PURGE_URLS after
# each write commits (newsarchive.http.purging). README, "Varnish in front".
vcl 4.1;

import std;
import xkey;

# The archive (gunicorn). Another address: edit here, or generate this file.
backend archive {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the archive's own machines.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors (a session) and the admin see the archive as it is, never a shared copy.
    if (req.url ~ "^/(admin|i18n)/" || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Public pages read no cookie: one copy for every reader.
    unset req.http.Cookie;
    unset req.http.Authorization;
    return (hash);
}

sub vcl_backend_response {
    # Only pages the archive names keys for are kept, and kept until purged (a day at most,
    # should a purge be lost); browsers still get the archive's own max-age.
    if (beresp.status == 200 && beresp.http.xkey && !beresp.http.Set-Cookie) {
        set beresp.ttl = 1d;
        set beresp.grace = 0s;
        set beresp.keep = 0s;
    } else {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
    }
    return (deliver);
}

sub vcl_deliver {
    # For operators and tests: did Varnish serve this from its cache?
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "hit";
    } else {
        set resp.http.X-Varnish-Cache = "miss";
    }
    # The keys are for Varnish alone.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
}
