"""REST for a resident's own erasure: the follow link's code is the key, as on the page."""

from flask import jsonify

from ..participants.follow import FollowCode
from ..privacy.erase import Erased, erase_own_input
from .contract import PUBLIC, route


@route("POST", "/follow/<follow_code>/erase",
       "Erase every proposal and vote of the holder of this follow link", auth=PUBLIC,
       path={"follow_code": FollowCode}, answers={200: Erased}, errors=(400, 404),
       description="The secret link is the key. Other people's proposals merged into an "
                   "erased one are split off again; repeated calls erase nothing more. A "
                   "joined phone's cookie carries authority: then send X-CSRFToken too.")
def erase(follow_code):
    response = jsonify(erase_own_input(follow_code))
    response.headers["Cache-Control"] = "private, no-store"
    return response
