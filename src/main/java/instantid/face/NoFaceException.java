package instantid.face;

/** No face was found where one was asked for; the message names the image and what to try. */
public class NoFaceException extends RuntimeException {

    public NoFaceException(String message) {
        super(message);
    }
}
