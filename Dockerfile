# One image for every process of the backend (gateway, broker, services); compose.yaml
# picks the command. Built from Debian 12's packages, as on the development machines.
FROM debian:12-slim AS build
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      build-essential cmake pkg-config libwebsockets-dev libhttp-parser-dev libczmq-dev libzmq3-dev libjwt-dev \
      libmsgpack-dev libjansson-dev libsodium-dev libpq-dev ca-certificates npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release && cmake --build /build -j"$(nproc)" \
    && cd /tmp && npm pack --silent redoc@2.5.4 && tar -xzf redoc-*.tgz package/bundles/redoc.standalone.js

FROM debian:12-slim
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libwebsockets17 libhttp-parser2.9 libczmq4 libzmq5 libjwt0 libmsgpackc2 libjansson4 libsodium23 libpq5 \
      postgresql-client \
    && rm -rf /var/lib/apt/lists/* && useradd --system --no-create-home app
COPY --from=build /build/gateway /build/listen_socket /build/broker /build/bus_keys /build/auth_service \
     /build/user_service /build/friend_service /build/notification_service /build/chat_service \
     /usr/local/bin/
# Several gateways in one container share one listening socket (compose.yaml):
# scripts/gateways supervises them, with the supervise step of scripts/lib.sh.
COPY scripts/gateways scripts/lib.sh /usr/local/lib/socialnet/
RUN ln -s /usr/local/lib/socialnet/gateways /usr/local/bin/gateways
COPY --from=build /tmp/package/bundles/redoc.standalone.js /usr/share/socialnet/redoc.standalone.js
COPY sql /usr/share/socialnet/sql
COPY scripts/migrate-container /usr/local/bin/migrate
ENV REDOC_JS=/usr/share/socialnet/redoc.standalone.js APP_ENV=production
USER app
