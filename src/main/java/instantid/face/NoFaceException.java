package instantid.face;

/** No face was found where one was asked for; the message names the image and what to try. */
public class NoFaceException extends instantid.common.UserException {

    public NoFaceException(String message) {
        super(message);
    }
}
