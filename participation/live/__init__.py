"""The live workshop, by screen: the residents' phones (phone/), the facilitator's console
(console/), the projector (projector/), and the Socket.IO layer that keeps them live (socket/:
the command table, the push table, presence, rate limits). What each viewer sees comes from
snapshot.py, built from the domains' shapes."""


def init_app(app):
    from . import console, phone, projector, socket

    for screen in (phone, console, projector):
        app.register_blueprint(screen.bp)
    socket.init_app(app)
