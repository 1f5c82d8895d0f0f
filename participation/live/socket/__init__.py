"""Socket.IO for the live screens: connect (connect.py), the acknowledged commands clients send
(commands.py: one table, name -> operation, who may call it, ack) and the pushes the server
sends (pushes.py: one table, domain event -> push, room, fields). Rules live in the domains and
access.py; this layer authenticates, routes and relays."""


def init_app(app):
    from .relay import relay
    from .staff_sockets import staff_sockets

    relay.init_app(app)
    staff_sockets.init_app(app)
