# Junction: build the jar first (mvn -B package -DskipTests), then: docker build -t junction .
# Routes are read from /opt/junction/routes at start: mount your own there to change a flow without a rebuild.
FROM eclipse-temurin:17-jre
WORKDIR /opt/junction
COPY target/lib/ /opt/junction/lib/
COPY target/junction.jar /opt/junction/junction.jar
COPY routes/ /opt/junction/routes/
ENV JUNCTION_ROUTES=/opt/junction/routes/*.camel.yaml \
    JUNCTION_DATA_DIR=/var/lib/junction
VOLUME ["/opt/junction/routes", "/var/lib/junction"]
# 8080: management (/observe/health, /observe/metrics); 8443/udp: quic-sync receiver (WEB_PORT)
EXPOSE 8080 8443/udp
ENTRYPOINT ["java", "-jar", "/opt/junction/junction.jar"]
CMD ["run"]
