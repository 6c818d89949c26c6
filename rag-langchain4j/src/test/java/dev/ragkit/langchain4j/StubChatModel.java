package dev.ragkit.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A LangChain4j chat model for tests: answers with a function of the messages it got, and keeps them. */
final class StubChatModel implements ChatModel {
    final List<List<ChatMessage>> requests = new CopyOnWriteArrayList<>();
    private final Function<List<ChatMessage>, String> answer;

    StubChatModel(Function<List<ChatMessage>, String> answer) {
        this.answer = answer;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        requests.add(List.copyOf(request.messages()));
        return ChatResponse.builder().aiMessage(AiMessage.from(answer.apply(request.messages())))
                .tokenUsage(new TokenUsage(42, 7)).modelName("stub").build();
    }

    List<ChatMessage> lastRequest() {
        return requests.get(requests.size() - 1);
    }
}
